package dev.followup.spring;

import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import org.jspecify.annotations.Nullable;

/**
 * Who is signed in, for the report and task board pages: the id {@link dev.followup.web.PracticeAccess}
 * is asked about and that claims and completes tasks. The default is the servlet request's
 * principal name (what Spring Security, or the container's own authentication, sets); an
 * application that signs users in some other way declares a bean of this type. Null means nobody
 * is signed in, and every page answers 403.
 *
 * <pre>{@code
 * @Bean
 * FollowUpWebUser followUpWebUser(MySessions sessions) {
 *     return request -> sessions.userIdOf(request); // null when not signed in
 * }
 * }</pre>
 */
@FunctionalInterface
public interface FollowUpWebUser {

    /**
     * @param request the request to a report or task board page
     * @return the signed-in user's id, or null when nobody is signed in
     */
    @Nullable String userOf(HttpServletRequest request);

    /** @return the default: the request's principal name, or null without a principal */
    static FollowUpWebUser principalName() {
        return request -> {
            Principal principal = request.getUserPrincipal();
            return principal == null ? null : principal.getName();
        };
    }
}
