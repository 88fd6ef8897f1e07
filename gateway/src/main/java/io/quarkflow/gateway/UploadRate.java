package io.quarkflow.gateway;

import io.quarkflow.mlflow.errors.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.Pipe;
import io.vertx.core.streams.ReadStream;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Streams a request body to its service and cuts it when the client sends it too slowly. The upload holds a
 * connection to the service for as long as it lasts, so a byte every few seconds would hold one for hours (issue 17:
 * 64 such uploads took every connection to artifact-service). Each quarkflow.gateway.min-rate-window the body must
 * have moved min-upload-rate bytes a second, or both sides are cut: the client gets 408 in MLflow's JSON when the
 * service has not answered yet, the service sees a broken body, never a short one that looks complete.
 *
 * <p>A window in which the gateway held the body back because the service read it slowly is not judged: the slow
 * side then is the service. Downloads are not judged here: what a client has read is hidden behind the gateway's
 * 1 MiB write queue and the kernel's buffers, so a rate could not be seen within a window; a client that stops
 * reading stops the download, which quarkflow.gateway.idle-timeout then cuts.
 */
@Singleton
class UploadRate {

    private static final Logger LOG = Logger.getLogger(UploadRate.class);

    private final Vertx vertx;
    private final long bytesPerSecond;
    private final long windowMillis;
    private final long minBytesPerWindow;

    UploadRate(Vertx vertx, GatewayConfig config) {
        this.vertx = vertx;
        this.bytesPerSecond = config.minUploadRate().asLongValue();
        this.windowMillis = Math.max(1, config.minRateWindow().toMillis());
        this.minBytesPerWindow = bytesPerSecond * windowMillis / 1000;
    }

    /**
     * Pipes the body of {@code in} to {@code out}. The future fails when the body did not arrive whole: the client
     * went away or was too slow, or the service went away; the service's body is then not ended.
     */
    Future<Void> pipe(HttpServerRequest in, HttpClientRequest out) {
        Metered body = new Metered(in);
        Pipe<Buffer> upload = body.pipe();
        upload.endOnFailure(false); // a client that vanishes mid-upload must not end the service's body cleanly
        Future<Void> sent = upload.to(out);
        if (minBytesPerWindow > 0) {
            body.startWindow();
            // Set on the request's event loop: the timer runs there too, with the stream's own handlers.
            long timer = vertx.setPeriodic(windowMillis, id -> {
                if (body.tooSlow(minBytesPerWindow)) {
                    vertx.cancelTimer(id);
                    cut(in, out);
                }
            });
            sent.onComplete(done -> vertx.cancelTimer(timer));
        }
        return sent;
    }

    private void cut(HttpServerRequest in, HttpClientRequest out) {
        LOG.debugf("%s %s: the body came slower than %d bytes a second; cut", in.method(), in.path(), bytesPerSecond);
        if (!in.response().headWritten()) {
            // Answered first, so that the failure of the service's side below finds the client answered.
            LocalAnswer.error(in, 408, ErrorCode.BAD_REQUEST, "The request body came slower than " + bytesPerSecond
                    + " bytes a second (quarkflow.gateway.min-upload-rate); it was cut. Send it again.");
        } else {
            BrokenAnswer.cut(in); // mid-answer; or after a complete one, when the rest of the body has nowhere to go
        }
        out.reset();
    }

    /**
     * The request body as the pipe reads it, counting its bytes and whether the pipe paused it (the service's side
     * was full). Used on the request's event loop only, like the request itself.
     */
    private static final class Metered implements ReadStream<Buffer> {

        private final ReadStream<Buffer> body;
        private long moved;
        private boolean paused;
        private boolean heldBackInWindow;

        Metered(ReadStream<Buffer> body) {
            this.body = body;
        }

        /** The pipe pauses the body once as it is set up; that is not the service being slow. */
        void startWindow() {
            heldBackInWindow = paused;
        }

        /** Whether the window just ended saw the client, not the service, move fewer than {@code minBytes}. */
        boolean tooSlow(long minBytes) {
            boolean tooSlow = !heldBackInWindow && moved < minBytes;
            moved = 0;
            heldBackInWindow = paused;
            return tooSlow;
        }

        @Override
        public ReadStream<Buffer> handler(Handler<Buffer> handler) {
            body.handler(handler == null ? null : buffer -> {
                moved += buffer.length();
                handler.handle(buffer);
            });
            return this;
        }

        @Override
        public ReadStream<Buffer> pause() {
            paused = true;
            heldBackInWindow = true;
            body.pause();
            return this;
        }

        @Override
        public ReadStream<Buffer> resume() {
            paused = false;
            body.resume();
            return this;
        }

        @Override
        public ReadStream<Buffer> fetch(long amount) {
            paused = false;
            body.fetch(amount);
            return this;
        }

        @Override
        public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
            body.exceptionHandler(handler);
            return this;
        }

        @Override
        public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
            body.endHandler(endHandler);
            return this;
        }
    }
}
