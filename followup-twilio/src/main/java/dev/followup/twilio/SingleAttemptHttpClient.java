package dev.followup.twilio;

import com.twilio.Twilio;
import com.twilio.exception.ApiConnectionException;
import com.twilio.http.HttpClient;
import com.twilio.http.HttpMethod;
import com.twilio.http.HttpUtility;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.entity.UrlEncodedFormEntity;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.NameValuePair;
import org.apache.hc.core5.http.impl.io.HttpRequestExecutor;
import org.apache.hc.core5.http.io.HttpClientConnection;
import org.apache.hc.core5.http.io.HttpResponseInformationCallback;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.http.message.BasicNameValuePair;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * The Twilio SDK's HTTP client, rebuilt so that one SDK call makes at most one HTTP request.
 *
 * <p>Why not the SDK's {@code NetworkHttpClient}: its {@code reliableRequest} repeats a request up
 * to 3 times on any 5xx (a POST too), the Apache client under it repeats once more on 429/503, and
 * it overwrites every request's timeouts with its own defaults. One 503 was measured to become 6
 * POSTs, that is possibly 6 texts to a patient. Here {@link #reliableRequest} makes exactly one
 * request, Apache's retries are off, and the timeouts are ours.
 *
 * <p>Each SDK call on a thread is wrapped in an {@link Exchange}: the SDK's exceptions lose the
 * HTTP status and headers (an empty 503 body even loses the status), so the exchange keeps what
 * happened on the wire, including whether the request had started to be written; the sender
 * classifies the outcome from that. The SDK calls the client synchronously on the caller's thread,
 * which is what makes a thread-local exchange sound.
 */
final class SingleAttemptHttpClient extends HttpClient implements AutoCloseable {
    private static final String REQUEST_STARTED = "dev.followup.twilio.request-started";

    private final CloseableHttpClient client;
    private final RequestConfig requestConfig;
    private final @Nullable URI apiBaseUrl;
    private final Clock clock;
    private final ThreadLocal<Exchange> current = new ThreadLocal<>();

    /**
     * @param connectTimeout how long to wait for a TCP (and TLS) connection
     * @param readTimeout how long to wait for the answer once the request is sent
     * @param apiBaseUrl where to send requests instead of Twilio's host (a local stub), or null
     * @param clock for Retry-After dates
     */
    SingleAttemptHttpClient(Duration connectTimeout, Duration readTimeout, @Nullable URI apiBaseUrl, Clock clock) {
        this.apiBaseUrl = apiBaseUrl;
        this.clock = clock;
        this.requestConfig = RequestConfig.custom()
                .setConnectionRequestTimeout(Timeout.of(connectTimeout))
                .setResponseTimeout(Timeout.of(readTimeout))
                .build();
        PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(connectTimeout))
                        .setSocketTimeout(Timeout.of(readTimeout))
                        // A pooled connection the server closed would fail after the request was
                        // written, an ambiguous outcome; checking idle ones first avoids most of them.
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        .build())
                .setMaxConnTotal(64)
                .setMaxConnPerRoute(64)
                .build();
        this.client = HttpClients.custom()
                .useSystemProperties()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(requestConfig)
                .setRequestExecutor(new MarkingRequestExecutor())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .setDefaultHeaders(List.of(
                        new BasicHeader("X-Twilio-Client", "java-" + Twilio.VERSION),
                        new BasicHeader(HttpHeaders.ACCEPT, "application/json"),
                        new BasicHeader(HttpHeaders.ACCEPT_ENCODING, "utf-8")))
                .build();
    }

    /**
     * Starts recording one SDK call on this thread; close it when the call returned or threw.
     *
     * @return the record of the call
     */
    Exchange begin() {
        Exchange exchange = new Exchange();
        current.set(exchange);
        return exchange;
    }

    /** Makes the request once: the SDK's retry loop is not used. */
    @Override
    public Response reliableRequest(Request request) {
        return makeRequest(request);
    }

    /** Makes the request once, whatever retry codes the SDK asks for. */
    @Override
    public Response reliableRequest(Request request, int[] retryCodes, int retries, long delayMillis) {
        return makeRequest(request);
    }

    @Override
    public Response makeRequest(Request request) {
        Exchange exchange = current.get();
        if (exchange == null) {
            exchange = new Exchange();
        }
        if (exchange.requests > 0) {
            // A second request inside one SDK call would be a retry the engine did not decide on.
            if (exchange.response != null) {
                return exchange.response;
            }
            throw new ApiConnectionException("a second request within one call is refused");
        }
        exchange.requests++;
        HttpClientContext context = HttpClientContext.create();
        try {
            ClassicHttpRequest http = toApache(request);
            Exchange recording = exchange;
            Response response = client.execute(http, context, answer -> {
                String content = answer.getEntity() == null ? "" : EntityUtils.toString(answer.getEntity(), StandardCharsets.UTF_8);
                recording.statusCode = answer.getCode();
                recording.retryAfter = retryAfter(answer);
                return new Response(content, answer.getCode(), answer.getHeaders());
            });
            exchange.response = response;
            return response;
        } catch (IOException e) {
            exchange.failure = e;
            exchange.requestStarted = Boolean.TRUE.equals(context.getAttribute(REQUEST_STARTED));
            // The cause's message may name the host; never the request's content.
            throw new ApiConnectionException("Twilio request failed: " + e.getClass().getSimpleName(), e);
        }
    }

    private ClassicHttpRequest toApache(Request request) {
        HttpUriRequestBase http = createHttpUriRequestBase(request);
        if (http == null) {
            throw new ApiConnectionException("unsupported HTTP method " + request.getMethod());
        }
        if (apiBaseUrl != null) {
            try {
                URI original = http.getUri();
                http.setUri(new URI(apiBaseUrl.getScheme(), null, apiBaseUrl.getHost(), apiBaseUrl.getPort(),
                        original.getPath(), original.getQuery(), null));
            } catch (URISyntaxException e) {
                throw new ApiConnectionException("cannot rewrite the Twilio URL", e);
            }
        }
        http.setConfig(requestConfig);
        http.setVersion(HttpVersion.HTTP_1_1);
        if (request.requiresAuthentication()) {
            http.addHeader(HttpHeaders.AUTHORIZATION, request.getAuthString());
        }
        for (Map.Entry<String, List<String>> header : request.getHeaderParams().entrySet()) {
            for (String value : header.getValue()) {
                http.addHeader(header.getKey(), value);
            }
        }
        if (request.getMethod() != HttpMethod.GET) {
            List<NameValuePair> form = new ArrayList<>();
            for (Map.Entry<String, List<String>> param : request.getPostParams().entrySet()) {
                for (String value : param.getValue()) {
                    form.add(new BasicNameValuePair(param.getKey(), value));
                }
            }
            http.setEntity(new UrlEncodedFormEntity(form, StandardCharsets.UTF_8));
        }
        http.addHeader(HttpHeaders.USER_AGENT, HttpUtility.getUserAgentString(request.getUserAgentExtensions(), true));
        return http;
    }

    private @Nullable Duration retryAfter(ClassicHttpResponse response) {
        Header header = response.getFirstHeader(HttpHeaders.RETRY_AFTER);
        if (header == null || header.getValue() == null) {
            return null;
        }
        String value = header.getValue().strip();
        try {
            long seconds = Long.parseLong(value);
            return seconds >= 0 ? Duration.ofSeconds(seconds) : null;
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(clock.instant(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    /** Closes the connection pool. */
    @Override
    public void close() {
        client.close(CloseMode.GRACEFUL);
    }

    /** What one SDK call did on the wire. */
    final class Exchange implements AutoCloseable {
        private int requests;
        private boolean requestStarted;
        private int statusCode = -1;
        private @Nullable Duration retryAfter;
        private @Nullable IOException failure;
        private @Nullable Response response;

        /** @return how many HTTP requests were attempted (0 or 1) */
        int requests() {
            return requests;
        }

        /** @return the HTTP status of the answer, or -1 if none arrived */
        int statusCode() {
            return statusCode;
        }

        /** @return whether an answer arrived */
        boolean answered() {
            return statusCode > 0;
        }

        /** @return the server's Retry-After hint, if any */
        @Nullable Duration retryAfter() {
            return retryAfter;
        }

        /** @return the I/O failure that ended the request, if any */
        @Nullable IOException failure() {
            return failure;
        }

        /**
         * @return whether the request had started to go out on a connection when it failed; after
         *     that point the server may have processed it
         */
        boolean requestStarted() {
            return requestStarted;
        }

        @Override
        public void close() {
            current.remove();
        }
    }

    /**
     * Marks the moment the request starts to be written on an open connection: a failure before
     * it (DNS, refused, connect or TLS timeout, no pooled connection) means nothing reached
     * Twilio; a failure after it (read timeout, connection lost) may follow a processed request.
     */
    private static final class MarkingRequestExecutor extends HttpRequestExecutor {
        @Override
        public ClassicHttpResponse execute(ClassicHttpRequest request, HttpClientConnection conn,
                @Nullable HttpResponseInformationCallback informationCallback, HttpContext context) throws IOException, HttpException {
            context.setAttribute(REQUEST_STARTED, Boolean.TRUE);
            return super.execute(request, conn, informationCallback, context);
        }
    }
}
