package io.quarkflow.artifact.api;

import io.quarkflow.artifact.domain.FileInfo;
import io.quarkflow.artifact.domain.MultipartUploadCredential;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Records that Jackson reads or writes only as nested members of request and response bodies, for native images. */
@RegisterForReflection(targets = {FileInfo.class, MultipartUploadCredential.class})
final class NativeReflection {

    private NativeReflection() {
    }
}
