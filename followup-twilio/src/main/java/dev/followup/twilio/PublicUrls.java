package dev.followup.twilio;

import dev.followup.InvalidConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * The URLs Twilio calls back, as Twilio sees them. Twilio signs the exact URL it was given, so
 * behind a proxy or load balancer the URL the application sees must be mapped back onto the public
 * base URL before the signature is checked.
 */
final class PublicUrls {
    /** Where every webhook path of this library starts. */
    static final String WEBHOOK_ROOT = "/twilio/";

    private PublicUrls() {
    }

    /**
     * @param url an absolute http(s) URL without query or fragment
     * @return the URL without a trailing slash
     * @throws InvalidConfigurationException if it is not one
     */
    static String base(String url) {
        if (url == null) {
            throw new InvalidConfigurationException("a base URL is required");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new InvalidConfigurationException("base URL is not a valid URL: " + e.getReason());
        }
        if (!uri.isAbsolute() || uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
            throw new InvalidConfigurationException("base URL must be an absolute http or https URL with a host");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new InvalidConfigurationException("base URL must have no query and no fragment");
        }
        String text = uri.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return text;
    }

    /**
     * Maps the URL a request arrived at onto the URL Twilio called.
     *
     * @param requestUrl the URL as the application received it (absolute, or only the path and
     *     query when a public base URL is configured), with the query string as it arrived
     * @param publicBaseUrl the public base URL, or null when the application sees Twilio's URL
     * @return the URL Twilio signed
     */
    static String signedUrl(String requestUrl, @Nullable String publicBaseUrl) {
        if (publicBaseUrl == null) {
            return requestUrl;
        }
        int root = webhookRoot(requestUrl);
        if (root < 0) {
            return requestUrl;
        }
        return publicBaseUrl + requestUrl.substring(root);
    }

    /**
     * @param url a URL or a path
     * @return the index where the path's webhook root starts, or -1
     */
    private static int webhookRoot(String url) {
        int pathStart = 0;
        int scheme = url.indexOf("://");
        if (scheme >= 0) {
            int slash = url.indexOf('/', scheme + 3);
            if (slash < 0) {
                return -1;
            }
            pathStart = slash;
        }
        int query = url.indexOf('?');
        int root = url.indexOf(WEBHOOK_ROOT, pathStart);
        return root >= 0 && (query < 0 || root < query) ? root : -1;
    }

    /**
     * @param url a URL or path with an optional query
     * @param prefix a path prefix such as {@code /twilio/inbound/}
     * @return the path segment right after the prefix, if the path has it
     */
    static @Nullable String segmentAfter(String url, String prefix) {
        int root = webhookRoot(url);
        if (root < 0 || !url.startsWith(prefix, root)) {
            return null;
        }
        int start = root + prefix.length();
        int end = start;
        while (end < url.length() && url.charAt(end) != '/' && url.charAt(end) != '?' && url.charAt(end) != '#') {
            end++;
        }
        return end > start ? url.substring(start, end) : null;
    }

    /**
     * @param url a URL or path
     * @return its raw query string, if any
     */
    static @Nullable String rawQuery(String url) {
        int query = url.indexOf('?');
        if (query < 0) {
            return null;
        }
        int fragment = url.indexOf('#', query);
        return fragment < 0 ? url.substring(query + 1) : url.substring(query + 1, fragment);
    }
}
