package io.quarkflow.launcher.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Names and label values Kubernetes accepts (DNS-1123 labels: at most 63 lower-case letters, digits and '-',
 * starting and ending alphanumeric), derived from run ids and project names. The Job name is a pure function of
 * the run id, so a redelivered request finds the Job its first copy created instead of starting a second one.
 */
public final class KubernetesNames {

    public static final int MAX_LENGTH = 63;
    private static final String JOB_PREFIX = "mlflow-run-";
    /** Hex digits of the digest that keep names of ids which had to be shortened or changed apart. */
    private static final int DIGEST_LENGTH = 10;

    private KubernetesNames() {
    }

    /** {@code mlflow-run-<run id>} for MLflow's 32-hex-digit ids; any other id gets a cleaned, hashed form. */
    public static String jobName(String runId) {
        return JOB_PREFIX + label(runId, MAX_LENGTH - JOB_PREFIX.length());
    }

    /** The first container's name, from the project's name as MLflow does, made valid; {@code main} when empty. */
    public static String containerName(String projectName) {
        String name = projectName == null ? "" : label(projectName, MAX_LENGTH);
        return name.isEmpty() ? "main" : name;
    }

    /**
     * A label value for an id ({@code quarkflow.io/run-id}): the id itself when it is a valid DNS label, else a
     * cleaned prefix and a digest of the id, so that two ids never share a value.
     */
    public static String labelValue(String id) {
        return label(id, MAX_LENGTH);
    }

    private static String label(String value, int maxLength) {
        String cleaned = value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        if (cleaned.equals(value) && cleaned.length() <= maxLength) {
            return cleaned;
        }
        String digest = digest(value);
        int room = maxLength - DIGEST_LENGTH - 1;
        String prefix = cleaned.substring(0, Math.min(cleaned.length(), room)).replaceAll("-+$", "");
        return prefix.isEmpty() ? digest : prefix + "-" + digest;
    }

    private static String digest(String value) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, DIGEST_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
