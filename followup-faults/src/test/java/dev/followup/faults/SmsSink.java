package dev.followup.faults;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * An SMS provider on a local socket that any JVM on the machine can reach: it records every send
 * (recipient, attempt id) and answers as scripted per recipient. It speaks enough of Twilio's
 * Messages API for {@code TwilioSmsSender} ({@code POST .../Messages.json}, form encoded, 201 with a
 * SID), and the plain {@link HttpSmsSender} of the SIGKILL test uses the same endpoint.
 */
final class SmsSink implements AutoCloseable {
    /** One send request as it arrived. */
    record Send(String to, String attemptId, long arrivedNanos) {}

    /** What to answer: an HTTP status (201 accepts), after a delay. */
    record Answer(int status, long delayMillis) {
        static final Answer ACCEPT = new Answer(201, 0);
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(16);
    private final List<Send> sends = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> perRecipient = new ConcurrentHashMap<>();
    private final Map<String, String> sidByAttempt = new ConcurrentHashMap<>();
    private final AtomicLong nextSid = new AtomicLong(1);
    private volatile Function<Send, Answer> script = s -> Answer.ACCEPT;
    private volatile long delayMillis;

    SmsSink() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    String baseUrl() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    /** @param script the answer to each send, given the send and how many came before it to the same recipient */
    void script(Function<Send, Answer> script) {
        this.script = script;
    }

    /** @param millis how long every accepted send takes (a slow provider keeps a batch in flight) */
    void delayEachSend(long millis) {
        this.delayMillis = millis;
    }

    List<Send> sends() {
        return List.copyOf(sends);
    }

    /** @return how many sends reached the sink so far for the recipient */
    int sendsTo(String to) {
        return perRecipient.getOrDefault(to, 0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String path = exchange.getRequestURI().getPath();
            if (exchange.getRequestMethod().equals("GET") && path.startsWith("/attempts/")) {
                // The plain sender's lookup: did an attempt reach the provider?
                String sid = sidByAttempt.get(path.substring("/attempts/".length()));
                respond(exchange, sid == null ? 404 : 200, sid == null ? "{}" : "{\"sid\":\"" + sid + "\"}");
                return;
            }
            if (!exchange.getRequestMethod().equals("POST") || !path.endsWith("/Messages.json")) {
                respond(exchange, 404, "{\"code\":20404,\"message\":\"not found\",\"status\":404}");
                return;
            }
            Map<String, String> form = form(body);
            String to = form.getOrDefault("To", "");
            String callback = form.getOrDefault("StatusCallback", form.getOrDefault("AttemptId", ""));
            Send send = new Send(to, callback, System.nanoTime());
            sends.add(send);
            perRecipient.merge(to, 1, Integer::sum);
            Answer answer = script.apply(send);
            long delay = answer.delayMillis() + (answer.status() == 201 ? delayMillis : 0);
            if (delay > 0) {
                Thread.sleep(delay);
            }
            if (answer.status() == 201) {
                String sid = String.format("SM%032x", nextSid.getAndIncrement());
                sidByAttempt.put(send.attemptId(), sid);
                respond(exchange, 201, "{\"sid\":\"" + sid + "\",\"status\":\"queued\",\"body\":\"\",\"direction\":\"outbound-api\"}");
            } else {
                int code = answer.status() == 429 ? 20429 : 20500;
                respond(exchange, answer.status(), "{\"code\":" + code + ",\"message\":\"scripted\",\"status\":" + answer.status() + "}");
            }
        } catch (IOException e) {
            // The client gave up (its read timeout): nothing to answer.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new ConcurrentHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            form.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
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
