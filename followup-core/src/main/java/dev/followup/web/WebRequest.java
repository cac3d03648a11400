package dev.followup.web;

import dev.followup.InvalidInputException;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP request as {@link ReportPages} needs it, translated by the host.
 *
 * @param method the HTTP method, e.g. {@code GET} or {@code POST}
 * @param path the request path, including the host's mount point (e.g. {@code /followup/practices/riverside/report}),
 *     without the query string
 * @param params the query and form parameters, the first value of each
 * @param user the signed-in user's id, or null when nobody is signed in (every page then answers 403)
 * @param csrfToken the anti-forgery token the host keeps for this user's session, or null when it
 *     has none (every action then answers 403); pages embed it in their forms and actions must
 *     send it back
 */
public record WebRequest(String method, String path, Map<String, String> params, @Nullable String user, @Nullable String csrfToken) {

    /** Validates the request and copies the parameters. */
    public WebRequest {
        if (method == null || path == null || params == null) {
            throw new InvalidInputException("a web request needs its method, path and parameters");
        }
        params = Map.copyOf(params);
    }

    /**
     * @param path the path
     * @param params the query parameters
     * @param user the signed-in user
     * @return a GET request (no token needed to read)
     */
    public static WebRequest get(String path, Map<String, String> params, @Nullable String user) {
        return new WebRequest("GET", path, params, user, null);
    }

    /**
     * @param path the path
     * @param form the form fields
     * @param user the signed-in user
     * @param csrfToken the session's anti-forgery token
     * @return a POST request
     */
    public static WebRequest post(String path, Map<String, String> form, @Nullable String user, @Nullable String csrfToken) {
        return new WebRequest("POST", path, form, user, csrfToken);
    }

    /**
     * @param name a parameter
     * @return its value, if sent
     */
    public Optional<String> param(String name) {
        return Optional.ofNullable(params.get(name));
    }
}
