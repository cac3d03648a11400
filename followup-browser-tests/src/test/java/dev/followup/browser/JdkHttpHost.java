package dev.followup.browser;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.followup.web.ReportPages;
import dev.followup.web.WebRequest;
import dev.followup.web.WebResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The smallest real host for {@link ReportPages}: the JDK's HTTP server on the loopback address,
 * one signed-in user, and a session cookie that carries nothing but a random id, mapped on the
 * server to the session's anti-forgery token. It shows what a host has to do (translate requests,
 * keep a token per session) and nothing more; the Spring starter does the same with Spring's.
 */
final class JdkHttpHost implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final HttpServer server;
    private final ReportPages pages;
    private final String user;
    private final Map<String, String> tokensBySession = new ConcurrentHashMap<>();

    JdkHttpHost(ReportPages pages, String user) {
        this.pages = pages;
        this.user = user;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::serve);
        server.start();
    }

    /** @return the base address, e.g. {@code http://127.0.0.1:41234} */
    String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String session = sessionOf(exchange);
            Map<String, String> params = new HashMap<>(parse(exchange.getRequestURI().getRawQuery()));
            if ("POST".equalsIgnoreCase(exchange.getRequestMethod())) {
                try (InputStream body = exchange.getRequestBody()) {
                    params.putAll(parse(new String(body.readNBytes(64 * 1024), StandardCharsets.UTF_8)));
                }
            }
            WebResponse response = pages.handle(new WebRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), params,
                    user, tokensBySession.get(session)));
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            byte[] bytes = response.bodyBytes();
            exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Finds the session by its cookie, or starts one: a random id in the cookie, the token only on the server. */
    private String sessionOf(HttpExchange exchange) {
        String cookies = exchange.getRequestHeaders().getFirst("Cookie");
        if (cookies != null) {
            for (String c : cookies.split(";")) {
                String[] kv = c.strip().split("=", 2);
                if (kv.length == 2 && kv[0].equals("sid") && tokensBySession.containsKey(kv[1])) {
                    return kv[1];
                }
            }
        }
        String sid = random();
        tokensBySession.put(sid, random());
        exchange.getResponseHeaders().add("Set-Cookie", "sid=" + sid + "; Path=/; HttpOnly; SameSite=Strict");
        return sid;
    }

    private static String random() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static Map<String, String> parse(String encoded) {
        Map<String, String> out = new HashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return out;
        }
        for (String pair : encoded.split("&")) {
            String[] kv = pair.split("=", 2);
            out.putIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length == 2 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
