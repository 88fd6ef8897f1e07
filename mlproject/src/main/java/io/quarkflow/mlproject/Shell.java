package io.quarkflow.mlproject;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Python's {@code shlex.quote} and {@code shlex.split} (POSIX mode, no comments), which MLflow uses to put parameter
 * values into a command line and, on Kubernetes, to cut that line into the container's command.
 */
public final class Shell {

    /** What shlex.quote leaves bare: ASCII letters, digits and {@code _@%+=:,./-}. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private Shell() {
    }

    /** The value as one shell word: bare when every character is safe, else in single quotes ('' for empty). */
    public static String quote(String value) {
        if (value.isEmpty()) {
            return "''";
        }
        if (SAFE.matcher(value).matches()) {
            return value;
        }
        return "'" + value.replace("'", "'\"'\"'") + "'";
    }

    /**
     * The words of a command line as shlex.split(command) gives them: blanks separate words; single quotes keep
     * everything; in double quotes a backslash escapes only {@code "} and {@code \}; outside quotes it escapes any
     * character. No expansion of any kind. Throws on an unclosed quote or a trailing backslash.
     */
    public static List<String> split(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < command.length()
                        && (command.charAt(i + 1) == '"' || command.charAt(i + 1) == '\\')) {
                    word.append(command.charAt(++i));
                } else if (c == '\\' && i + 1 == command.length()) {
                    throw new ProjectException("Cannot split the command: No escaped character");
                } else {
                    word.append(c);
                }
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                inWord = true;
                if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '\\') {
                    if (i + 1 == command.length()) {
                        throw new ProjectException("Cannot split the command: No escaped character");
                    }
                    word.append(command.charAt(++i));
                } else {
                    word.append(c);
                }
            }
        }
        if (quote != 0) {
            throw new ProjectException("Cannot split the command: No closing quotation");
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
