package dev.followup.web;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What {@link ReportPages} answers: the host writes the status, the headers and the body as they are.
 *
 * @param status the HTTP status
 * @param contentType the content type, with its charset (always UTF-8)
 * @param body the body
 * @param headers further headers: security headers on every response, {@code Location} on redirects,
 *     {@code Content-Disposition} on downloads, {@code Allow} on 405
 */
public record WebResponse(int status, String contentType, String body, Map<String, String> headers) {

    /** Copies the headers. */
    public WebResponse {
        headers = Map.copyOf(headers);
    }

    /** @return the body in UTF-8, as it goes on the wire */
    public byte[] bodyBytes() {
        return body.getBytes(StandardCharsets.UTF_8);
    }
}
