package dev.followup.email;

import jakarta.mail.Session;
import java.util.Properties;

/**
 * A practice's settings with the Jakarta Mail {@link Session} built from them. A session is
 * thread-safe and holds only configuration, so one is kept per practice and shared by all sends;
 * each send opens its own transport (connection).
 */
final class PracticeMailSession {
    /** TLS 1.0 and 1.1 are broken and forbidden for PHI in transit; the JDK may still enable them. */
    private static final String TLS_PROTOCOLS = "TLSv1.3 TLSv1.2";

    private final SmtpSettings settings;
    private final Session session;

    PracticeMailSession(SmtpSettings settings) {
        this.settings = settings;
        this.session = Session.getInstance(properties(settings));
    }

    SmtpSettings settings() {
        return settings;
    }

    Session session() {
        return session;
    }

    /** @return a new, unconnected transport for one send */
    TrackingSmtpTransport newTransport() {
        return new TrackingSmtpTransport(session, settings.security() == SmtpSecurity.SMTPS);
    }

    private static Properties properties(SmtpSettings s) {
        Properties p = new Properties();
        String protocol = s.security() == SmtpSecurity.SMTPS ? "smtps" : "smtp";
        String prefix = "mail." + protocol + ".";
        // Debug output prints addresses and message content (PHI): never on, whatever else is set.
        p.setProperty("mail.debug", "false");
        p.setProperty(prefix + "host", s.host());
        p.setProperty(prefix + "port", Integer.toString(s.port()));
        p.setProperty(prefix + "connectiontimeout", Long.toString(s.connectTimeout().toMillis()));
        p.setProperty(prefix + "timeout", Long.toString(s.readTimeout().toMillis()));
        p.setProperty(prefix + "auth", Boolean.toString(s.username().isPresent()));
        // The message was accepted before QUIT; waiting for the server's goodbye only adds latency.
        p.setProperty(prefix + "quitwait", "false");
        // One recipient per message: a partial send cannot happen, and must not be reported as success.
        p.setProperty(prefix + "sendpartial", "false");
        s.heloName().ifPresent(name -> p.setProperty(prefix + "localhost", name));
        switch (s.security()) {
            case STARTTLS_REQUIRED:
                p.setProperty(prefix + "starttls.enable", "true");
                p.setProperty(prefix + "starttls.required", "true");
                tls(p, prefix, s);
                break;
            case SMTPS:
                p.setProperty(prefix + "ssl.enable", "true");
                tls(p, prefix, s);
                break;
            case PLAIN_INSECURE:
                p.setProperty(prefix + "starttls.enable", "false");
                break;
            default:
                throw new IllegalStateException("unhandled security mode " + s.security());
        }
        return p;
    }

    private static void tls(Properties p, String prefix, SmtpSettings s) {
        p.setProperty(prefix + "ssl.protocols", TLS_PROTOCOLS);
        if (s.trustsAnyCertificateForTesting()) {
            p.setProperty(prefix + "ssl.trust", "*");
            p.setProperty(prefix + "ssl.checkserveridentity", "false");
        } else {
            // Without it, a valid certificate for any host would do: a man in the middle with a
            // certificate of his own domain could read the mail.
            p.setProperty(prefix + "ssl.checkserveridentity", "true");
            s.sslSocketFactory().ifPresent(factory -> p.put(prefix + "ssl.socketFactory", factory));
        }
    }
}
