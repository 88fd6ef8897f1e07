package io.quarkflow.local;

/** How the services reach PostgreSQL. */
record Database(String jdbcUrl, String user, String password) {

    /** The reactive client takes the JDBC URL without its {@code jdbc:} prefix. */
    String reactiveUrl() {
        return jdbcUrl.substring("jdbc:".length());
    }
}
