package io.quarkflow.mlproject;

import io.quarkflow.mlproject.ProjectSource.Kind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProjectSourceTest {

    @Test
    void gitUris() {
        assertEquals(new ProjectSource(Kind.GIT, "https://github.com/mlflow/mlflow-example", ""),
                ProjectSource.parse("https://github.com/mlflow/mlflow-example"));
        assertEquals(new ProjectSource(Kind.GIT, "https://github.com/mlflow/mlflow", "examples/docker"),
                ProjectSource.parse("https://github.com/mlflow/mlflow#examples/docker"));
        assertEquals(Kind.GIT, ProjectSource.parse("http://git.internal/team/project.git").kind());
        assertEquals(Kind.GIT, ProjectSource.parse("ssh://git@github.com:22/mlflow/mlflow.git").kind());
        assertEquals(Kind.GIT, ProjectSource.parse("git://git.internal/project").kind());
        assertEquals(new ProjectSource(Kind.GIT, "git@github.com:mlflow/mlflow.git", "examples/sklearn"),
                ProjectSource.parse("git@github.com:mlflow/mlflow.git#examples/sklearn"));
    }

    @Test
    void archiveUris() {
        assertEquals(new ProjectSource(Kind.ARCHIVE, "mlflow-artifacts:/0/abc/artifacts/project.zip", ""),
                ProjectSource.parse("mlflow-artifacts:/0/abc/artifacts/project.zip"));
        assertEquals(new ProjectSource(Kind.ARCHIVE, "s3://bucket/projects/p.tar.gz", "inner/dir"),
                ProjectSource.parse("s3://bucket/projects/p.tar.gz#inner/dir"));
        assertEquals(Kind.ARCHIVE, ProjectSource.parse("https://example.com/p.tgz").kind());
        assertEquals(Kind.ARCHIVE, ProjectSource.parse("https://example.com/p.ZIP?X-Amz-Signature=abc").kind());
        assertEquals(Kind.ARCHIVE, ProjectSource.parse("mlflow-artifacts://tracking:5000/0/p.zip").kind());
    }

    @Test
    void localPaths() {
        assertEquals(new ProjectSource(Kind.LOCAL, "/srv/projects/wine", ""),
                ProjectSource.parse("/srv/projects/wine"));
        assertEquals(new ProjectSource(Kind.LOCAL, "/srv/projects", "wine"), ProjectSource.parse("/srv/projects#wine"));
    }

    @Test
    void surroundingQuotesAreStrippedAsMlflowDoes() {
        assertEquals(new ProjectSource(Kind.LOCAL, "/srv/p", "sub"), ProjectSource.parse("'/srv/p#sub'"));
        assertEquals(Kind.GIT, ProjectSource.parse("\"https://github.com/mlflow/mlflow\"").kind());
    }

    @Test
    void emptySubdirectoryAndTrailingSlash() {
        assertEquals("", ProjectSource.parse("/srv/p#").subdirectory());
        assertEquals("examples/docker", ProjectSource.parse("/srv/p#examples/docker/").subdirectory());
        assertEquals("examples/v1.2", ProjectSource.parse("/srv/p#examples/v1.2").subdirectory());
    }

    @Test
    void dotSegmentsInSubdirectoryGetMlflowsMessage() {
        for (String subdirectory : List.of(".", "./a", "a/./b", "..", "../a", "a/..", "a/../../etc", "a..b")) {
            assertEquals("'.' is not allowed in project subdirectory paths.",
                    assertThrows(ProjectException.class,
                            () -> ProjectSource.parse("https://github.com/o/r#" + subdirectory)).getMessage(),
                    subdirectory);
        }
    }

    @Test
    void unsafeSubdirectoriesAreRefused() {
        for (String subdirectory : List.of("/etc", "a//b", "a\\b", "a\0b", "a\nb", "/")) {
            assertThrows(ProjectException.class, () -> ProjectSource.parse("/srv/p#" + subdirectory), subdirectory);
        }
    }

    @Test
    void fileUrisAreRefused() {
        ProjectException e = assertThrows(ProjectException.class, () -> ProjectSource.parse("file:///srv/p"));
        assertTrue(e.getMessage().contains("file: URIs are not supported"), e.getMessage());
        assertThrows(ProjectException.class, () -> ProjectSource.parse("FILE:/srv/p.zip"));
    }

    @Test
    void relativePathsAreRefused() {
        for (String uri : List.of("project", "./project", "../project", "examples/docker", ".", "~/p", " /srv/p")) {
            ProjectException e = assertThrows(ProjectException.class, () -> ProjectSource.parse(uri), uri);
            assertTrue(e.getMessage().contains("Relative project paths are not supported")
                    || e.getMessage().contains("Invalid project URI"), e.getMessage());
        }
    }

    @Test
    void hostileUrisAreRefused() {
        for (String uri : List.of(
                "-uhttps://x", "--upload-pack=touch /tmp/pwned", "ext::sh -c id", "ext::sh", "fd::17",
                "ssh://-oProxyCommand=id/x", "ssh://-oProxyCommand=id@host/x", "git@-oProxyCommand=id:x",
                "git@host:-upload-pack=id", "https://github.com/o/r\n", "https://github.com/o/r\0", "/srv/p\r",
                "https://exa mple.com/r", "https:github.com/o/r", "https:///o/r", "ftp://host/p.zip",
                "s3://bucket/project", "mlflow-artifacts:/0/project", "C:\\projects\\p", "C:/projects/p",
                "/srv/../etc", "/srv/./p", "/srv\\p", "", "   ", "#sub")) {
            assertThrows(ProjectException.class, () -> ProjectSource.parse(uri), uri);
        }
        assertThrows(ProjectException.class, () -> ProjectSource.parse(null));
    }

    @Test
    void versionsThatGitReadsAsNamesAreAccepted() {
        assertNull(ProjectSource.checkVersion(null));
        for (String version : List.of("main", "v1.2.3", "feature/new-model", "release_2024", "a".repeat(255),
                "0123456789abcdef0123456789abcdef01234567")) {
            assertEquals(version, ProjectSource.checkVersion(version));
        }
    }

    @Test
    void versionsThatGitCouldReadAsOptionsOrExpressionsAreRefused() {
        for (String version : List.of("", "-b", "--upload-pack=id", "main..dev", "HEAD@{1}", "main^", "main~1",
                "a:b", "a b", "main.lock", "feature/", "/main", "a//b", "a".repeat(256), "$(id)", "`id`", "a;b",
                "a\nb", "a\0b", "é")) {
            assertThrows(ProjectException.class, () -> ProjectSource.checkVersion(version), version);
        }
    }
}
