package io.quarkflow.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command's arguments, parsed as MLflow's CLI (click) takes them: {@code --name value}, {@code --name=value},
 * {@code -n value}, {@code -nvalue}, flags, repeatable options, and positionals anywhere ({@code --} ends the
 * options). An option given twice keeps its last value unless it is repeatable.
 */
final class Arguments {

    /** Wrong command-line input: the message, the usage, exit code 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    /**
     * @param name       the long name, without dashes; the key of its values
     * @param shortName  one letter, or null
     * @param takesValue false for a flag
     * @param repeatable true to keep every value ({@code -P a=1 -P b=2})
     */
    record Option(String name, String shortName, boolean takesValue, boolean repeatable) {

        static Option value(String name, String shortName) {
            return new Option(name, shortName, true, false);
        }

        static Option repeated(String name, String shortName) {
            return new Option(name, shortName, true, true);
        }

        static Option flag(String name, String shortName) {
            return new Option(name, shortName, false, false);
        }
    }

    private final Map<String, List<String>> values;
    private final List<String> positionals;

    private Arguments(Map<String, List<String>> values, List<String> positionals) {
        this.values = values;
        this.positionals = positionals;
    }

    static Arguments parse(List<String> args, Option... options) {
        Map<String, Option> byName = new HashMap<>();
        for (Option option : options) {
            byName.put("--" + option.name(), option);
            if (option.shortName() != null) {
                byName.put("-" + option.shortName(), option);
            }
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        List<String> positionals = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                positionals.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                positionals.add(arg);
                continue;
            }
            String key = arg;
            String attached = null;
            if (arg.startsWith("--") && arg.contains("=")) {
                key = arg.substring(0, arg.indexOf('='));
                attached = arg.substring(arg.indexOf('=') + 1);
            } else if (!arg.startsWith("--") && arg.length() > 2) {
                key = arg.substring(0, 2);
                attached = arg.substring(2);
            }
            Option option = byName.get(key);
            if (option == null || (!option.takesValue() && attached != null)) {
                throw new UsageException("No such option: " + arg);
            }
            String value = "true";
            if (option.takesValue()) {
                if (attached != null) {
                    value = attached;
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw new UsageException("Option " + key + " requires a value");
                }
            }
            List<String> list = values.computeIfAbsent(option.name(), name -> new ArrayList<>());
            if (!option.repeatable()) {
                list.clear();
            }
            list.add(value);
        }
        return new Arguments(values, positionals);
    }

    /** The positionals, exactly {@code names.length} of them, else a usage error naming what is missing. */
    List<String> positionals(String... names) {
        if (positionals.size() < names.length) {
            throw new UsageException("Missing argument " + names[positionals.size()]);
        }
        if (positionals.size() > names.length) {
            throw new UsageException("Unexpected argument: " + positionals.get(names.length));
        }
        return positionals;
    }

    String get(String name) {
        List<String> list = values.get(name);
        return list == null ? null : list.get(list.size() - 1);
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** A whole number of at least {@code minimum}, or {@code otherwise} when the option is absent. */
    int number(String name, int minimum, int otherwise) {
        String value = get(name);
        if (value == null) {
            return otherwise;
        }
        try {
            int number = Integer.parseInt(value);
            if (number >= minimum) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--" + name + " must be a whole number of at least " + minimum + ", not '"
                + value + "'");
    }

    /** {@code -P name=value}, in order; MLflow's wording for a value without {@code =} and a repeated name. */
    Map<String, String> parameters(String name) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String item : all(name)) {
            int equals = item.indexOf('=');
            if (equals <= 0) {
                throw new UsageException("Invalid format for -P parameter: '" + item + "'. Use -P name=value.");
            }
            String key = item.substring(0, equals);
            if (parameters.put(key, item.substring(equals + 1)) != null) {
                throw new UsageException("Repeated parameter: '" + key + "'");
            }
        }
        return parameters;
    }

    /** {@code --experiment-name} or {@code --experiment-id}, never both. */
    void atMostOne(String first, String second) {
        if (has(first) && has(second)) {
            throw new UsageException("Specify only one of --" + first + " and --" + second);
        }
    }
}
