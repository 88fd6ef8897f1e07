package io.quarkflow.gateway;

/** What an identity may do: READ lets it look, EDIT also lets it change. */
public enum Permission {
    READ,
    EDIT;

    boolean allows(Permission required) {
        return this == EDIT || required == READ;
    }

    /** Parses the optional third field of a users or tokens line; EDIT when absent. */
    static Permission parse(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "", "edit" -> EDIT;
            case "read" -> READ;
            default -> throw new IllegalArgumentException("permission must be read or edit, not " + text);
        };
    }
}
