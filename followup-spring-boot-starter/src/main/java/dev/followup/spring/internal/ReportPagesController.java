package dev.followup.spring.internal;

import dev.followup.spring.FollowUpWebUser;
import dev.followup.web.ReportPages;
import dev.followup.web.WebRequest;
import dev.followup.web.WebResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves {@link ReportPages} under {@code {followup.web.path}/practices/**}: translates the servlet
 * request into a {@link WebRequest} and writes the {@link WebResponse} as it is. The anti-forgery
 * token is a random value kept in the HTTP session: a GET by a signed-in user starts a session if
 * there is none (so the task board's forms carry the token), a POST only uses an existing one (a
 * post without a session has no token, and {@link ReportPages} refuses it with 403). Nothing is
 * logged: the pages show PHI.
 */
@RestController
@RequestMapping("${followup.web.path:/followup}/practices/**")
public final class ReportPagesController {
    /** The session attribute that holds the token. */
    static final String TOKEN_ATTRIBUTE = ReportPagesController.class.getName() + ".csrfToken";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ReportPages pages;
    private final FollowUpWebUser webUser;

    /**
     * @param pages the pages
     * @param webUser who is signed in
     */
    public ReportPagesController(ReportPages pages, FollowUpWebUser webUser) {
        this.pages = pages;
        this.webUser = webUser;
    }

    /**
     * @param request any request under the pages' path
     * @return the pages' answer
     */
    @RequestMapping
    public ResponseEntity<byte[]> handle(HttpServletRequest request) {
        String user = webUser.userOf(request);
        Map<String, String> params = new HashMap<>();
        request.getParameterMap().forEach((name, values) -> {
            if (values.length > 0) {
                params.put(name, values[0]);
            }
        });
        WebResponse response = pages.handle(new WebRequest(request.getMethod(), request.getRequestURI(), params, user,
                user == null ? null : sessionToken(request)));
        HttpHeaders headers = new HttpHeaders();
        response.headers().forEach(headers::set);
        return ResponseEntity.status(response.status()).headers(headers).contentType(MediaType.parseMediaType(response.contentType()))
                .body(response.bodyBytes());
    }

    private static @Nullable String sessionToken(HttpServletRequest request) {
        boolean read = "GET".equalsIgnoreCase(request.getMethod()) || "HEAD".equalsIgnoreCase(request.getMethod());
        HttpSession session = request.getSession(read);
        if (session == null) {
            return null;
        }
        Object token = session.getAttribute(TOKEN_ATTRIBUTE);
        if (token instanceof String t) {
            return t;
        }
        if (!read) {
            return null;
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String t = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        session.setAttribute(TOKEN_ATTRIBUTE, t);
        return t;
    }
}
