package io.quarkflow.sample.bad.domain;

import java.sql.Connection;

public class JdbcRule {
    public boolean open(Connection connection) throws java.sql.SQLException {
        return !connection.isClosed();
    }
}
