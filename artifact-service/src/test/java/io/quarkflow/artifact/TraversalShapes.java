package io.quarkflow.artifact;

import java.util.List;

/**
 * Path-traversal shapes as they travel in a URL (percent-encoded where a raw character could not), after the
 * MLflow CVEs they reproduce: plain and encoded "..", double and triple encoding (CVE-2024-1560), absolute paths
 * (CVE-2023-6909), backslashes and drive letters (CVE-2024-1593), "#" and ";" tricks, NUL bytes, overlong UTF-8.
 */
public final class TraversalShapes {

    public static final List<String> ENCODED = List.of(
            "..",
            "../secret.txt",
            "../../secret.txt",
            "a/../../secret.txt",
            "a/..",
            "%2e%2e/secret.txt",
            "%2E%2E%2Fsecret.txt",
            "a/%2e%2e/%2e%2e/secret.txt",
            "%252e%252e%252fsecret.txt",
            "%25252e%25252e%25252fsecret.txt",
            "%2fetc%2fpasswd",
            "%2F%2Fserver%2Fshare",
            "..%5csecret.txt",
            "a%5c..%5c..%5csecret.txt",
            "%255c..%255csecret.txt",
            "C%3a%5cWindows%5cwin.ini",
            "C%3a/Windows/win.ini",
            "file%3a%2f%2f%2fetc%2fpasswd",
            "s3%3a%2f%2fother-bucket%2fsecret.txt",
            "a%23/../../secret.txt",
            "..%3b/secret.txt",
            "a%3bjsessionid=x",
            "secret.txt%00.png",
            "a%2500b",
            "%c0%ae%c0%ae/secret.txt",
            "%ef%bc%8e%ef%bc%8e/secret.txt",
            "a%2f%2fb");

    private TraversalShapes() {
    }
}
