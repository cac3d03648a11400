package dev.followup.email;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A real SMTP endpoint on a local port that relays each conversation, line by line, to a real SMTP
 * server behind it (GreenMail), and can be told to misbehave the way production servers do: offer
 * STARTTLS or speak TLS from the start (GreenMail 2.1 has no STARTTLS), reject a recipient or the
 * sender, refuse the message after its data, drop the connection or fall silent at a chosen point.
 *
 * <p>It relies on SMTP's lock step (no PIPELINING is offered): every command is answered before the
 * next one is read. Configure it, then {@link #start()}; one thread per connection.
 */
final class ScriptedSmtpRelay implements AutoCloseable {
    private final String upstreamHost;
    private final int upstreamPort;
    private final Map<String, String> recipientReplies = new HashMap<>();
    private SSLContext startTls;
    private SSLContext implicitTls;
    private String mailFromReply;
    private String endOfDataReply;
    private boolean dropOnDataCommand;
    private boolean dropAfterEndOfData;
    private boolean stallAfterEndOfData;

    private final AtomicInteger connections = new AtomicInteger();
    private final List<String> verbs = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private ServerSocket server;
    private Thread acceptor;

    private ScriptedSmtpRelay(String upstreamHost, int upstreamPort) {
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
    }

    static ScriptedSmtpRelay inFrontOf(String host, int port) {
        return new ScriptedSmtpRelay(host, port);
    }

    ScriptedSmtpRelay offerStartTls(SSLContext context) {
        this.startTls = context;
        return this;
    }

    ScriptedSmtpRelay implicitTls(SSLContext context) {
        this.implicitTls = context;
        return this;
    }

    /** Answers RCPT TO for the address itself, with the given reply, instead of relaying it. */
    ScriptedSmtpRelay replyToRecipient(String address, String reply) {
        recipientReplies.put(address.toLowerCase(Locale.ROOT), reply);
        return this;
    }

    ScriptedSmtpRelay replyToMailFrom(String reply) {
        this.mailFromReply = reply;
        return this;
    }

    /** Takes the message itself and answers its final dot: the server behind never gets the message. */
    ScriptedSmtpRelay replyToEndOfData(String reply) {
        this.endOfDataReply = reply;
        return this;
    }

    /** Closes the client's connection when it sends DATA: nothing was delivered. */
    ScriptedSmtpRelay dropOnDataCommand() {
        this.dropOnDataCommand = true;
        return this;
    }

    /** Passes the final dot on, lets the server behind accept the message, then hangs up without answering. */
    ScriptedSmtpRelay dropAfterEndOfData() {
        this.dropAfterEndOfData = true;
        return this;
    }

    /** Passes the final dot on, lets the server behind accept the message, then never answers. */
    ScriptedSmtpRelay stallAfterEndOfData() {
        this.stallAfterEndOfData = true;
        return this;
    }

    ScriptedSmtpRelay start() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = new Thread(this::acceptLoop, "smtp-relay-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
        return this;
    }

    int port() {
        return server.getLocalPort();
    }

    /** @return how many connections clients opened */
    int connections() {
        return connections.get();
    }

    /** @return the command verbs clients sent, in order (EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA, QUIT) */
    List<String> verbs() {
        return List.copyOf(verbs);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                connections.incrementAndGet();
                open.add(client);
                Thread t = new Thread(() -> serve(client), "smtp-relay-conn-" + client.getPort());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket plainClient) {
        try (Socket upstream = new Socket(upstreamHost, upstreamPort)) {
            open.add(upstream);
            Line up = new Line(upstream);
            Line client = new Line(implicitTls != null ? tls(plainClient, implicitTls) : plainClient);
            boolean secured = implicitTls != null;
            client.send(up.response());
            String command;
            while ((command = client.read()) != null) {
                String upper = command.toUpperCase(Locale.ROOT);
                verbs.add(upper.split("[ :]", 2)[0]);
                if (upper.startsWith("EHLO")) {
                    up.write(command);
                    List<String> answer = up.response();
                    client.send(startTls != null && !secured ? withStartTls(answer) : answer);
                } else if (upper.equals("STARTTLS") && startTls != null && !secured) {
                    client.send(List.of("220 2.0.0 Ready to start TLS"));
                    client = new Line(tls(client.socket, startTls));
                    secured = true;
                } else if (upper.startsWith("MAIL FROM:") && mailFromReply != null) {
                    client.send(List.of(mailFromReply));
                } else if (upper.startsWith("RCPT TO:") && recipientReplies.containsKey(addressIn(command))) {
                    client.send(List.of(recipientReplies.get(addressIn(command))));
                } else if (upper.equals("DATA")) {
                    if (dropOnDataCommand) {
                        return;
                    }
                    if (endOfDataReply != null) {
                        // Take the message here: the server behind never sees it, and is not left mid-DATA.
                        client.send(List.of("354 End data with <CR><LF>.<CR><LF>"));
                        if (!swallowContent(client)) {
                            return;
                        }
                        client.send(List.of(endOfDataReply));
                        continue;
                    }
                    up.write(command);
                    List<String> answer = up.response();
                    client.send(answer);
                    if (answer.get(0).startsWith("354") && !relayContent(client, up)) {
                        return;
                    }
                } else {
                    up.write(command);
                    client.send(up.response());
                }
            }
        } catch (IOException e) {
            // The client or the server went away: that is what several scripts are about.
        } finally {
            try {
                plainClient.close();
            } catch (IOException ignored) {
                // Closing a socket that is already gone.
            }
        }
    }

    /** @return whether the conversation goes on after the message */
    private boolean relayContent(Line client, Line up) throws IOException {
        String line;
        while ((line = client.read()) != null && !line.equals(".")) {
            up.write(line);
        }
        if (line == null) {
            return false;
        }
        up.write(".");
        List<String> answer = up.response();
        if (dropAfterEndOfData) {
            return false;
        }
        if (stallAfterEndOfData) {
            // Keep the connection open, silent, until the client gives up.
            while (client.read() != null) {
                // Swallow whatever the client still sends.
            }
            return false;
        }
        client.send(answer);
        return true;
    }

    /** @return whether the client sent the whole message, up to its final dot */
    private static boolean swallowContent(Line client) throws IOException {
        String line;
        while ((line = client.read()) != null) {
            if (line.equals(".")) {
                return true;
            }
        }
        return false;
    }

    private static List<String> withStartTls(List<String> answer) {
        List<String> lines = new ArrayList<>();
        for (String line : answer) {
            lines.add(line.substring(0, 3) + "-" + (line.length() > 4 ? line.substring(4) : ""));
        }
        lines.add("250 STARTTLS");
        return lines;
    }

    private static String addressIn(String command) {
        int start = command.indexOf('<');
        int end = command.indexOf('>');
        return start >= 0 && end > start ? command.substring(start + 1, end).toLowerCase(Locale.ROOT) : "";
    }

    private Socket tls(Socket plain, SSLContext context) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory()
                .createSocket(plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true);
        socket.setUseClientMode(false);
        socket.startHandshake();
        open.add(socket);
        return socket;
    }

    /** Lines of an SMTP conversation, bytes kept as they are (ISO-8859-1 maps each byte to one char). */
    private static final class Line {
        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;

        Line(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            this.out = socket.getOutputStream();
        }

        String read() throws IOException {
            return in.readLine();
        }

        void write(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        void send(List<String> lines) throws IOException {
            for (String line : lines) {
                write(line);
            }
        }

        /** Reads one reply, all its lines: "250-..." continues, "250 ..." ends it. */
        List<String> response() throws IOException {
            List<String> lines = new ArrayList<>();
            String line;
            do {
                line = in.readLine();
                if (line == null) {
                    throw new IOException("server closed the connection");
                }
                lines.add(line);
            } while (line.length() > 3 && line.charAt(3) == '-');
            return lines;
        }
    }
}
