package dev.followup.twilio;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local stand-in for Twilio's REST API on a real socket (the JDK's HTTP server): it records every
 * request that reaches it, answers a send with a queued message by default, and answers what a
 * test scripted otherwise (status, body, headers, a delay).
 */
final class TwilioApiStub implements AutoCloseable {
    /** One request as the stub read it. */
    record Received(String method, String path, Map<String, String> form, String authorization, long arrivedNanos) {
        boolean isSend() {
            return method.equals("POST") && path.endsWith("/Messages.json");
        }
    }

    /** A scripted answer. */
    record Answer(int status, String body, Map<String, String> headers, long delayMillis) {
        static Answer error(int status, int code) {
            return new Answer(status, "{\"code\":" + code + ",\"message\":\"The 'To' number +12015550123 is not valid\",\"more_info\":\"https://www.twilio.com/docs/errors/" + code + "\",\"status\":" + status + "}", Map.of(), 0);
        }
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(16);
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Deque<Answer> scripted = new ArrayDeque<>();
    private final AtomicLong nextSid = new AtomicLong(1);

    TwilioApiStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    /** @return the base URL to give the sender, on {@code localhost} */
    String baseUrl() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    List<Received> sends() {
        return received.stream().filter(Received::isSend).toList();
    }

    synchronized void answerNext(Answer answer) {
        scripted.addLast(answer);
    }

    synchronized void reset() {
        received.clear();
        scripted.clear();
    }

    private synchronized Answer nextAnswer() {
        return scripted.pollFirst();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Map<String, String> form = parseForm(body);
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            Received request = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), form,
                    authorization == null ? "" : authorization, System.nanoTime());
            received.add(request);

            Answer answer = nextAnswer();
            if (answer == null) {
                answer = defaultAnswer(request);
            }
            if (answer.delayMillis() > 0) {
                try {
                    Thread.sleep(answer.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (IOException e) {
            // The client went away (a test's read timeout): nothing to answer.
        }
    }

    private Answer defaultAnswer(Received request) {
        String path = request.path();
        if (request.isSend()) {
            String sid = String.format("SM%032x", nextSid.getAndIncrement());
            return new Answer(201, "{\"sid\":\"" + sid + "\",\"status\":\"queued\",\"account_sid\":\"" + accountSidOf(path)
                    + "\",\"to\":\"" + request.form().getOrDefault("To", "") + "\",\"body\":\"redacted in stub\",\"direction\":\"outbound-api\"}", Map.of(), 0);
        }
        if (request.method().equals("POST") && path.contains("/Messages/")) {
            String sid = path.substring(path.lastIndexOf('/') + 1).replace(".json", "");
            return new Answer(200, "{\"sid\":\"" + sid + "\",\"status\":\"delivered\",\"body\":\"\"}", Map.of(), 0);
        }
        return Answer.error(404, 20404);
    }

    private static String accountSidOf(String path) {
        String[] parts = path.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i].equals("Accounts")) {
                return parts[i + 1];
            }
        }
        return "";
    }

    private static Map<String, String> parseForm(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        if (body.isEmpty()) {
            return form;
        }
        for (String pair : body.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            form.put(name, value);
        }
        return form;
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
