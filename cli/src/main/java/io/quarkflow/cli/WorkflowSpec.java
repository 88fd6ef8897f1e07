package io.quarkflow.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * A workflow file (YAML) as the server takes it (JSON). The server resolves everything in it, {@code ${...}}
 * references included; the client only makes its projects reachable: each {@code uri} (the workflow's and each
 * step's) that names a directory of this machine, relative to the file's directory, is uploaded and replaced by its
 * {@code mlflow-artifacts:} URI. Scalars are sent as the text they are written as ({@code alpha: 0.10} is
 * {@code "0.10"}, {@code version: 1.10} is {@code "1.10"}), except {@code reuse} and everything in
 * {@code backend_config}, which is the backend's and keeps its types.
 */
final class WorkflowSpec {

    private static final YAMLMapper YAML = new YAMLMapper();
    /** Keys of the workflow and of its steps whose values keep their YAML types; every other scalar is text. */
    private static final Set<String> TYPED = Set.of("backend_config", "reuse");

    private WorkflowSpec() {
    }

    static ObjectNode load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new Arguments.UsageException("No workflow file " + file);
        }
        try (JsonParser parser = new YAMLFactory().createParser(Files.readString(file))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new Arguments.UsageException("The workflow file " + file + " must be a YAML mapping");
            }
            return object(parser, true);
        } catch (IOException e) {
            throw new Arguments.UsageException("Cannot read the workflow file " + file + ": " + e.getMessage());
        }
    }

    /** The spec with its local projects uploaded; relative paths from {@code base}. */
    static ObjectNode withUploadedProjects(ObjectNode spec, Path base, ProjectUpload upload) {
        ObjectNode resolved = spec.deepCopy();
        replaceUri(resolved, base, upload);
        for (JsonNode step : resolved.path("steps")) {
            if (step instanceof ObjectNode object) {
                replaceUri(object, base, upload);
            }
        }
        return resolved;
    }

    private static void replaceUri(ObjectNode holder, Path base, ProjectUpload upload) {
        JsonNode uri = holder.get("uri");
        if (uri != null && uri.isTextual()) {
            String version = holder.path("version").isTextual() ? holder.path("version").asText() : null;
            holder.put("uri", upload.serverUri(uri.asText(), version, base));
        }
    }

    /** A mapping: the workflow's or a step's ({@code specOrStep}), or one inside them. */
    private static ObjectNode object(JsonParser parser, boolean specOrStep) throws IOException {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (specOrStep && TYPED.contains(name)) {
                object.set(name, YAML.readTree(parser));
            } else if (specOrStep && name.equals("steps") && value == JsonToken.START_ARRAY) {
                ArrayNode steps = object.putArray(name);
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    steps.add(parser.currentToken() == JsonToken.START_OBJECT ? object(parser, true) : text(parser));
                }
            } else {
                object.set(name, text(parser));
            }
        }
        return object;
    }

    /** The value at the parser's current token, its scalars as the text they are written as. */
    private static JsonNode text(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            return object(parser, false);
        }
        if (token == JsonToken.START_ARRAY) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                array.add(text(parser));
            }
            return array;
        }
        return token == JsonToken.VALUE_NULL ? NullNode.getInstance() : TextNode.valueOf(parser.getText());
    }
}
