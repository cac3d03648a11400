package dev.followup.spring;

import dev.followup.FollowUpEngine;
import dev.followup.InvalidConfigurationException;
import dev.followup.spring.internal.ReportPagesController;
import dev.followup.web.PracticeAccess;
import dev.followup.web.ReportPages;
import jakarta.servlet.ServletContext;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * The weekly report and the staff task board ({@link ReportPages}) as Spring MVC endpoints under
 * {@code followup.web.path} (default {@code /followup}): {@code GET {path}/practices/{id}/report},
 * {@code report.csv}, {@code report.json}, {@code tasks}, and the task actions
 * {@code POST {path}/practices/{id}/tasks/{taskId}/claim} and {@code .../complete}. The pages'
 * links and forms start with the context path the servlet container gives the application
 * ({@link ServletContext#getContextPath()}), so they are right under {@code server.servlet.context-path}
 * and in a war deployed to an external container alike.
 *
 * <p>Default deny: the pages are served only when the application declares a {@link PracticeAccess}
 * bean, which decides which practices each user may see. Without one, nothing is served. The user
 * is the request's principal name unless a {@link FollowUpWebUser} bean says otherwise; nobody
 * signed in gets 403. Task actions carry an anti-forgery token kept in the HTTP session.
 * Switched off with {@code followup.web.enabled=false}.
 */
@AutoConfiguration(after = FollowUpAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "followup.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "followup.web.enabled", matchIfMissing = true)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
@ConditionalOnBean({PracticeAccess.class, FollowUpEngine.class})
public final class FollowUpWebPagesAutoConfiguration {

    /** Created by Spring. */
    public FollowUpWebPagesAutoConfiguration() {}

    /**
     * @param engine the engine
     * @param access the application's access hook
     * @param properties {@code followup.web.*}
     * @param servletContext the container's context of this application, whose context path the
     *     pages' links and forms include
     * @return the pages
     */
    @Bean
    @ConditionalOnMissingBean
    ReportPages followUpReportPages(FollowUpEngine engine, PracticeAccess access, FollowUpProperties properties,
            ServletContext servletContext) {
        String path = properties.getWeb().getPath();
        if (path.endsWith("/")) {
            throw new InvalidConfigurationException("followup.web.path must not end with '/': use e.g. /followup, or leave it empty for the root");
        }
        // The container's word, not server.servlet.context-path: a war deployed to an external
        // container gets its context path from there, and the property is not read at all.
        // Empty for the root, never ending in '/' (Servlet spec). The week is the engine's clock's.
        String contextPath = servletContext.getContextPath();
        return ReportPages.builder(engine).access(access).basePath(contextPath + path).trendWeeks(properties.getWeb().getTrendWeeks())
                .build();
    }

    /** @return the default user: the request's principal name */
    @Bean
    @ConditionalOnMissingBean
    FollowUpWebUser followUpWebUser() {
        return FollowUpWebUser.principalName();
    }

    /**
     * @param pages the pages
     * @param user who is signed in
     * @return the controller
     */
    @Bean
    @ConditionalOnMissingBean(name = "followUpReportPagesController")
    ReportPagesController followUpReportPagesController(ReportPages pages, FollowUpWebUser user) {
        return new ReportPagesController(pages, user);
    }
}
