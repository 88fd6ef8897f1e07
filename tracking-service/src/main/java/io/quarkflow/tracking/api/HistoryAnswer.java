package io.quarkflow.tracking.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.quarkflow.tracking.api.Messages.GetMetricHistoryResponse;
import io.quarkflow.tracking.domain.Metric;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The JSON of a metrics/get-history answer, written a point at a time as the points are read: a history of 100,000
 * points is held as its 10 MB of JSON, not also as 100,000 objects (and rows) until the last is read. The same
 * bytes as {@link GetMetricHistoryResponse} serialized whole.
 */
final class HistoryAnswer {

    private final ObjectMapper json;
    private final ObjectWriter pointWriter;
    private final Buffer body = Buffer.buffer(4096);
    private final JsonGenerator out;
    private int points;

    HistoryAnswer(ObjectMapper json) {
        this.json = json;
        this.pointWriter = json.writerFor(Metric.class).without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
        try {
            this.out = json.createGenerator(new OutputStream() {
                @Override
                public void write(int b) {
                    body.appendByte((byte) b);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) {
                    body.appendBytes(bytes, offset, length);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void add(Metric point) {
        try {
            if (points++ == 0) {
                out.writeStartObject();
                out.writeArrayFieldStart("metrics");
            }
            pointWriter.writeValue(out, point);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole answer, with the next page's token unless null. */
    Buffer finish(String nextPageToken) {
        try {
            if (points == 0) {
                return Buffer.buffer(json.writeValueAsBytes(new GetMetricHistoryResponse(List.of(), nextPageToken)));
            }
            out.writeEndArray();
            if (nextPageToken != null) {
                out.writeStringField("next_page_token", nextPageToken);
            }
            out.writeEndObject();
            out.close();
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
