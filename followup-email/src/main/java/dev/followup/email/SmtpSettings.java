package dev.followup.email;

import dev.followup.InvalidConfigurationException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * One practice's SMTP server: where it is, how the connection is protected, how to log in, how long
 * to wait, and which sender identity the server accepts. Immutable; build with
 * {@link #builder(String)} and change a copy with {@link #toBuilder()}.
 *
 * <pre>{@code
 * SmtpSettings settings = SmtpSettings.builder("smtp.example-clinic.com")
 *         .credentials("outreach@example-clinic.com", secretFromVault)
 *         .from("outreach@example-clinic.com", "Example Family Clinic")
 *         .replyTo("frontdesk@example-clinic.com")
 *         .build();  // STARTTLS required, port 587, 10 s connect / 30 s read timeouts
 * }</pre>
 *
 * <p>{@link #toString()} never shows the password; {@link #equals(Object)} compares it, so that a
 * changed password is noticed when settings are looked up again.
 */
public final class SmtpSettings {
    /** Long enough for a slow relay, short enough that a dead one does not hold a sending thread for minutes. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** A server answers each command within seconds; 30 s leaves room for content filtering after the data. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

    private final String host;
    private final int port;
    private final SmtpSecurity security;
    private final @Nullable String username;
    private final @Nullable String password;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final @Nullable SSLSocketFactory sslSocketFactory;
    private final boolean trustAnyCertificateForTesting;
    private final @Nullable String fromAddress;
    private final @Nullable String fromName;
    private final @Nullable String replyTo;
    private final @Nullable String heloName;

    private SmtpSettings(Builder b) {
        this.host = b.host;
        this.port = b.port == 0 ? b.security.defaultPort() : b.port;
        this.security = b.security;
        this.username = b.username;
        this.password = b.password;
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.sslSocketFactory = b.sslSocketFactory;
        this.trustAnyCertificateForTesting = b.trustAnyCertificateForTesting;
        this.fromAddress = b.fromAddress;
        this.fromName = b.fromName;
        this.replyTo = b.replyTo;
        this.heloName = b.heloName;
    }

    /**
     * Starts settings for a server; everything else has a safe default (STARTTLS required, its
     * default port, no login, {@link #DEFAULT_CONNECT_TIMEOUT}, {@link #DEFAULT_READ_TIMEOUT}, the
     * JDK's trusted certificates with host name verification).
     *
     * @param host the SMTP server's host name (not an IP address if its certificate names a host)
     * @return a builder
     */
    public static Builder builder(String host) {
        return new Builder(host);
    }

    /** @return a builder holding these settings, to derive changed settings from them */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** @return the SMTP server's host name */
    public String host() {
        return host;
    }

    /** @return the SMTP server's port */
    public int port() {
        return port;
    }

    /** @return how the connection is protected */
    public SmtpSecurity security() {
        return security;
    }

    /** @return the login name, if the server needs a login */
    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    /** Package-private: the password leaves this class only towards the SMTP server. */
    @Nullable String password() {
        return password;
    }

    /** @return how long to wait for the TCP connection */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** @return how long to wait for each answer of the server */
    public Duration readTimeout() {
        return readTimeout;
    }

    /** @return the factory for TLS sockets, if one replaces the JDK's default trust */
    public Optional<SSLSocketFactory> sslSocketFactory() {
        return Optional.ofNullable(sslSocketFactory);
    }

    /** @return whether any certificate is trusted and host names are not checked (tests only) */
    public boolean trustsAnyCertificateForTesting() {
        return trustAnyCertificateForTesting;
    }

    /**
     * @return whether these settings give up protection that production needs: no encryption, or
     *     encryption without checking whom we talk to
     */
    public boolean isInsecure() {
        return security == SmtpSecurity.PLAIN_INSECURE || trustAnyCertificateForTesting;
    }

    /** @return the From address that replaces the one in each email, if the server insists on one */
    public Optional<String> fromAddress() {
        return Optional.ofNullable(fromAddress);
    }

    /** @return the From display name that replaces the one in each email, if set */
    public Optional<String> fromName() {
        return Optional.ofNullable(fromName);
    }

    /** @return the Reply-To address that replaces the one in each email, if set */
    public Optional<String> replyTo() {
        return Optional.ofNullable(replyTo);
    }

    /** @return the name this client gives in EHLO, if not the JDK's idea of the local host name */
    public Optional<String> heloName() {
        return Optional.ofNullable(heloName);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SmtpSettings)) {
            return false;
        }
        SmtpSettings other = (SmtpSettings) o;
        return port == other.port
                && trustAnyCertificateForTesting == other.trustAnyCertificateForTesting
                && host.equals(other.host)
                && security == other.security
                && Objects.equals(username, other.username)
                && Objects.equals(password, other.password)
                && connectTimeout.equals(other.connectTimeout)
                && readTimeout.equals(other.readTimeout)
                // A socket factory has no value equality: the same instance is the same trust.
                && sslSocketFactory == other.sslSocketFactory
                && Objects.equals(fromAddress, other.fromAddress)
                && Objects.equals(fromName, other.fromName)
                && Objects.equals(replyTo, other.replyTo)
                && Objects.equals(heloName, other.heloName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, security, username, password, connectTimeout, readTimeout,
                System.identityHashCode(sslSocketFactory), trustAnyCertificateForTesting, fromAddress, fromName, replyTo, heloName);
    }

    @Override
    public String toString() {
        return "SmtpSettings[" + security + " " + host + ":" + port
                + (username == null ? ", no login" : ", login " + username + " with password")
                + (trustAnyCertificateForTesting ? ", TRUSTING ANY CERTIFICATE" : "")
                + "]";
    }

    /**
     * Builds {@link SmtpSettings}. Every setter checks its argument at once; {@link #build()} checks
     * the combination. Problems are reported as {@link InvalidConfigurationException}s that say what
     * to change.
     */
    public static final class Builder {
        private static final int MAX_PORT = 65_535;

        private String host;
        private int port;
        private SmtpSecurity security = SmtpSecurity.STARTTLS_REQUIRED;
        private @Nullable String username;
        private @Nullable String password;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private @Nullable SSLSocketFactory sslSocketFactory;
        private boolean trustAnyCertificateForTesting;
        private @Nullable String fromAddress;
        private @Nullable String fromName;
        private @Nullable String replyTo;
        private @Nullable String heloName;

        private Builder(String host) {
            if (host == null || host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
                throw new InvalidConfigurationException("SMTP host must be a host name without spaces");
            }
            this.host = host;
        }

        private Builder(SmtpSettings s) {
            this.host = s.host;
            this.port = s.port;
            this.security = s.security;
            this.username = s.username;
            this.password = s.password;
            this.connectTimeout = s.connectTimeout;
            this.readTimeout = s.readTimeout;
            this.sslSocketFactory = s.sslSocketFactory;
            this.trustAnyCertificateForTesting = s.trustAnyCertificateForTesting;
            this.fromAddress = s.fromAddress;
            this.fromName = s.fromName;
            this.replyTo = s.replyTo;
            this.heloName = s.heloName;
        }

        /**
         * @param port the server's port; without it, the security mode's usual port (587, 465 or 25)
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 1 || port > MAX_PORT) {
                throw new InvalidConfigurationException("SMTP port must be between 1 and 65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * @param security how the connection is protected; {@link SmtpSecurity#STARTTLS_REQUIRED} unless set
         * @return this builder
         */
        public Builder security(SmtpSecurity security) {
            this.security = Objects.requireNonNull(security, "security");
            return this;
        }

        /**
         * @param username the login name
         * @param password the password (or app password / API key the provider issues for SMTP)
         * @return this builder
         */
        public Builder credentials(String username, String password) {
            if (username == null || username.isBlank()) {
                throw new InvalidConfigurationException("SMTP username must not be blank");
            }
            if (password == null || password.isEmpty()) {
                throw new InvalidConfigurationException("SMTP password must not be empty");
            }
            this.username = username;
            this.password = password;
            return this;
        }

        /**
         * @param timeout how long to wait for the TCP connection; {@link #DEFAULT_CONNECT_TIMEOUT} unless set
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = checkTimeout(timeout, "connect");
            return this;
        }

        /**
         * @param timeout how long to wait for each answer of the server; {@link #DEFAULT_READ_TIMEOUT} unless set
         * @return this builder
         */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = checkTimeout(timeout, "read");
            return this;
        }

        /**
         * Replaces the JDK's trusted certificates, e.g. with a trust store holding the private CA of
         * an in-house relay. Host names are still verified.
         *
         * @param factory creates the TLS sockets
         * @return this builder
         */
        public Builder sslSocketFactory(SSLSocketFactory factory) {
            this.sslSocketFactory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * Trusts every certificate and skips the host name check: anyone on the network path could
         * read the mail. Only for a test server with a self-signed certificate; the sender refuses
         * such settings unless its builder was told {@code allowInsecureSettingsForTesting()}.
         *
         * @return this builder
         */
        public Builder trustAnyCertificateForTesting() {
            this.trustAnyCertificateForTesting = true;
            return this;
        }

        /**
         * Sets the sender identity for every email of this practice, replacing the one in each
         * {@code OutboundEmail}: many servers only accept the address the login belongs to.
         *
         * @param address the From address
         * @param displayName the From display name (the practice's name); may contain any Unicode
         * @return this builder
         */
        public Builder from(String address, String displayName) {
            this.fromAddress = checkAddress(address, "from address");
            if (displayName == null || displayName.isBlank()) {
                throw new InvalidConfigurationException("From display name must not be blank");
            }
            this.fromName = displayName;
            return this;
        }

        /**
         * Sets the From address only, keeping each email's display name.
         *
         * @param address the From address
         * @return this builder
         */
        public Builder fromAddress(String address) {
            this.fromAddress = checkAddress(address, "from address");
            return this;
        }

        /**
         * @param address where patients' replies go (e.g. the front desk), replacing each email's Reply-To
         * @return this builder
         */
        public Builder replyTo(String address) {
            this.replyTo = checkAddress(address, "reply-to address");
            return this;
        }

        /**
         * @param name the host name to announce in EHLO; some relays reject a name that does not
         *     resolve, and the JDK's guess inside a container often does not
         * @return this builder
         */
        public Builder heloName(String name) {
            if (name == null || name.isBlank() || name.chars().anyMatch(c -> c <= ' ' || c > '~')) {
                throw new InvalidConfigurationException("EHLO name must be printable ASCII without spaces");
            }
            this.heloName = name;
            return this;
        }

        /**
         * @return the settings
         * @throws InvalidConfigurationException if the options contradict each other
         */
        public SmtpSettings build() {
            if (sslSocketFactory != null && trustAnyCertificateForTesting) {
                throw new InvalidConfigurationException(
                        "choose either an SSL socket factory or trustAnyCertificateForTesting, not both");
            }
            if (security == SmtpSecurity.PLAIN_INSECURE && (sslSocketFactory != null || trustAnyCertificateForTesting)) {
                throw new InvalidConfigurationException(
                        "TLS trust options have no effect with PLAIN_INSECURE: choose STARTTLS_REQUIRED or SMTPS");
            }
            return new SmtpSettings(this);
        }

        private static Duration checkTimeout(Duration timeout, String which) {
            // Jakarta Mail takes milliseconds as an int: longer than ~24 days cannot be expressed.
            if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
                throw new InvalidConfigurationException("SMTP " + which + " timeout must be positive and at most 24 days");
            }
            return timeout;
        }

        private static String checkAddress(String address, String what) {
            if (address == null) {
                throw new InvalidConfigurationException(what + " must not be null");
            }
            try {
                InternetAddress parsed = new InternetAddress(address, true);
                parsed.validate();
                if (parsed.getPersonal() != null || !address.strip().equals(parsed.getAddress())) {
                    throw new InvalidConfigurationException(what + " must be a bare address, without a display name");
                }
                return parsed.getAddress();
            } catch (AddressException e) {
                throw new InvalidConfigurationException(what + " is not a valid email address");
            }
        }
    }
}
