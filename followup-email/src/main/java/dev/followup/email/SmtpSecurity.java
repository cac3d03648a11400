package dev.followup.email;

/**
 * How the connection to a practice's SMTP server is protected. Email carries PHI, so the default is
 * {@link #STARTTLS_REQUIRED} and the only mode without encryption must be allowed explicitly on the
 * sender's builder.
 */
public enum SmtpSecurity {
    /**
     * Plain connection upgraded with STARTTLS before anything else is sent (submission port 587). A
     * server that does not offer STARTTLS is refused: the sender never falls back to plain text,
     * because that would send the password and the patient's email unencrypted.
     */
    STARTTLS_REQUIRED(587),
    /** TLS from the first byte ("implicit TLS", RFC 8314; port 465). */
    SMTPS(465),
    /**
     * No encryption at all. Only for a local test server: the sender refuses settings in this mode
     * unless its builder was told {@code allowInsecureSettingsForTesting()}.
     */
    PLAIN_INSECURE(25);

    private final int defaultPort;

    SmtpSecurity(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    /** @return the port used when the settings name none */
    public int defaultPort() {
        return defaultPort;
    }
}
