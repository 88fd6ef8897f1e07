package io.quarkflow.projects.service;

import io.quarkflow.events.ProjectRunRequest;
import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.mlproject.Environment;
import io.quarkflow.mlproject.Project;
import io.quarkflow.mlproject.ProjectException;
import io.quarkflow.mlproject.ProjectSource;
import io.quarkflow.mlproject.ResolvedCommand;
import io.quarkflow.projects.source.Checkout;
import io.quarkflow.projects.source.ProjectFetcher;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A project fetched, read and its entry point resolved with the user's parameters, before any run exists: a
 * project or parameter MLflow would refuse is the user's 400 and creates nothing.
 *
 * @param source    where the launcher gets the code, pinned to the commit read here
 * @param commit    null for a directory that is no Git repository
 * @param branch    the version when it is a branch
 * @param archiveSha256 an archive's content digest; null for anything else
 */
record PreparedProject(
        ProjectRunRequest.Source source,
        String commit,
        String branch,
        String projectName,
        ProjectRunRequest.Environment environment,
        ResolvedCommand command,
        String archiveSha256) {

    /** Blocking (git, files): call it from a worker thread. */
    static PreparedProject prepare(ProjectFetcher fetcher, ProjectSource source, String version, String entryPoint,
                                   Map<String, String> parameters) {
        try (Checkout checkout = fetcher.fetch(source, version)) {
            Project project = Project.read(checkout.projectDir());
            ResolvedCommand command = project.entryPoint(entryPoint).resolve(parameters);
            return new PreparedProject(launcherSource(source, checkout), checkout.commit(), checkout.branch(),
                    project.name() == null ? "" : project.name(), environment(project.environment()), command,
                    checkout.archiveSha256());
        } catch (ProjectException e) {
            throw MlflowException.invalidParameter(e.getMessage());
        }
    }

    /**
     * An archive is read again by the launcher, a directory read in place runs in place, and anything else is Git at
     * the commit read here (a directory at a version is fetched again).
     */
    private static ProjectRunRequest.Source launcherSource(ProjectSource source, Checkout checkout) {
        if (source.kind() == ProjectSource.Kind.ARCHIVE) {
            return new ProjectRunRequest.Source("archive", source.uri(), null, source.subdirectory());
        }
        boolean inPlace = source.kind() == ProjectSource.Kind.LOCAL && checkout.copy() == null;
        return new ProjectRunRequest.Source(inPlace ? "local" : "git", source.uri(),
                inPlace ? null : checkout.commit(), source.subdirectory());
    }

    private static ProjectRunRequest.Environment environment(Environment environment) {
        if (environment instanceof Environment.Docker docker) {
            Map<String, String> variables = new LinkedHashMap<>();
            docker.environment().forEach(variable -> variables.put(variable.name(), variable.value()));
            return new ProjectRunRequest.Environment(docker.tagValue(), docker.image(), docker.volumes(), variables,
                    null);
        }
        String file = environment instanceof Environment.Python python ? python.file()
                : environment instanceof Environment.Conda conda ? conda.file() : null;
        return new ProjectRunRequest.Environment(environment.tagValue(), null, null, null, file);
    }
}
