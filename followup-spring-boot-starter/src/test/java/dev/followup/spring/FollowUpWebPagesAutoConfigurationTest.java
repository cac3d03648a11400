package dev.followup.spring;

import static dev.followup.spring.TestProperties.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.followup.FollowUpEngine;
import dev.followup.conversation.InboundSms;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.PracticeId;
import dev.followup.report.TaskBoardHtml;
import dev.followup.spring.internal.ReportPagesController;
import dev.followup.task.StaffTask;
import dev.followup.task.TaskState;
import dev.followup.test.InMemoryFollowUpStore;
import dev.followup.web.PracticeAccess;
import dev.followup.web.ReportPages;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.context.servlet.AnnotationConfigServletWebApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.mock.web.MockServletContext;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

/**
 * The report and task board pages: served only with a {@link PracticeAccess} bean (default deny),
 * under {@code followup.web.path}; 403 without a user, 404 for a practice the hook does not grant,
 * 200 for one it does; actions need the session's token.
 */
class FollowUpWebPagesAutoConfigurationTest {
    private static final PracticeId LAKESIDE = PracticeId.of("lakeside");
    private static final PracticeAccess JANE_SEES_LAKESIDE = (user, practice) -> user.equals("jane") && practice.equals(LAKESIDE);

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(FollowUpAutoConfigurationTest.ALL).withBean(InMemoryFollowUpStore.class);

    @Configuration(proxyBeanMethods = false)
    @EnableWebMvc
    static class Mvc {}

    @Test
    void noPagesWithoutAPracticeAccessBean() {
        web.withPropertyValues(basic()).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(ReportPagesController.class).doesNotHaveBean(ReportPages.class);
        });
    }

    @Test
    void pagesWithAPracticeAccessBeanUnlessSwitchedOffOrNotAServletMvcApplication() {
        web.withPropertyValues(basic()).withBean(PracticeAccess.class, () -> JANE_SEES_LAKESIDE).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(ReportPagesController.class).hasSingleBean(FollowUpWebUser.class);
            assertThat(context.getBean(ReportPages.class).basePath()).isEqualTo("/followup");
        });
        web.withPropertyValues(basic("followup.web.enabled=false")).withBean(PracticeAccess.class, () -> JANE_SEES_LAKESIDE)
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ReportPagesController.class));
        web.withPropertyValues(basic("followup.enabled=false")).withBean(PracticeAccess.class, () -> JANE_SEES_LAKESIDE)
                .run(context -> assertThat(context).doesNotHaveBean(ReportPagesController.class));
        web.withPropertyValues(basic()).withBean(PracticeAccess.class, () -> JANE_SEES_LAKESIDE)
                .withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ReportPagesController.class));
        new ApplicationContextRunner().withConfiguration(FollowUpAutoConfigurationTest.ALL).withBean(InMemoryFollowUpStore.class)
                .withPropertyValues(basic()).withBean(PracticeAccess.class, () -> JANE_SEES_LAKESIDE)
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ReportPagesController.class));
    }

    @Test
    void thePathAndTrendComeFromProperties() {
        deployedAt("/app").withPropertyValues(basic("followup.web.path=/admin/followup"))
                .withBean(PracticeAccess.class, () -> JANE_SEES_LAKESIDE)
                .run(context -> assertThat(context.getBean(ReportPages.class).basePath()).isEqualTo("/app/admin/followup"));
        web.withPropertyValues(basic("followup.web.path=/followup/")).withBean(PracticeAccess.class, () -> JANE_SEES_LAKESIDE)
                .run(context -> assertThat(context).hasFailed().getFailure().hasMessageContaining("followup.web.path"));
        web.withPropertyValues(basic("followup.web.trend-weeks=40")).withBean(PracticeAccess.class, () -> JANE_SEES_LAKESIDE)
                .run(context -> assertThat(context).hasFailed().getFailure().hasMessageContaining("trend weeks"));
    }

    @Test
    void theContextPathIsTheContainersNotTheProperty() {
        // As a war in an external container: the container says /clinic, and Boot's property (which
        // only its embedded server reads) says something else or nothing.
        deployedAt("/clinic").withPropertyValues(basic("server.servlet.context-path=/app"))
                .withBean(PracticeAccess.class, () -> JANE_SEES_LAKESIDE)
                .run(context -> assertThat(context.getBean(ReportPages.class).basePath()).isEqualTo("/clinic/followup"));
        web.withPropertyValues(basic("server.servlet.context-path=/app")).withBean(PracticeAccess.class, () -> JANE_SEES_LAKESIDE)
                .run(context -> assertThat(context.getBean(ReportPages.class).basePath()).isEqualTo("/followup"));
    }

    @Test
    void underAContextPathThePagesAnswerAndTheirLinksAndFormsIncludeIt() {
        deployedAt("/clinic").withUserConfiguration(Mvc.class).withPropertyValues(basic())
                .withBean(PracticeAccess.class, () -> JANE_SEES_LAKESIDE).run(context -> {
                    FollowUpEngine engine = context.getBean(FollowUpEngine.class);
                    engine.handleInboundSms(new InboundSms(LAKESIDE, "SM-web-ctx", PhoneNumber.ofE164("+13125550177"), "Please call me back",
                            context.getBean(Clock.class).instant()));
                    MockMvc mvc = mvc(context);
                    MvcResult report = mvc.perform(get("/clinic/followup/practices/lakeside/report").contextPath("/clinic")
                            .principal(() -> "jane")).andReturn();
                    assertThat(report.getResponse().getStatus()).isEqualTo(200);
                    assertThat(report.getResponse().getContentAsString(StandardCharsets.UTF_8))
                            .contains("\"/clinic/followup/practices/lakeside/tasks");
                    String board = mvc.perform(get("/clinic/followup/practices/lakeside/tasks").contextPath("/clinic")
                            .principal(() -> "jane").session(new MockHttpSession())).andReturn().getResponse()
                            .getContentAsString(StandardCharsets.UTF_8);
                    String taskId = engine.openTasks(LAKESIDE).get(0).id().value();
                    assertThat(board).contains("action=\"/clinic/followup/practices/lakeside/tasks/" + taskId + "/claim\"");
                });
    }

    @Test
    void forbiddenWithoutAUserHiddenWithoutAccessServedWithIt() {
        web.withUserConfiguration(Mvc.class).withPropertyValues(basic("followup.web.path=/staff/followup"))
                .withBean(PracticeAccess.class, () -> JANE_SEES_LAKESIDE).run(context -> {
                    MockMvc mvc = mvc(context);
                    String report = "/staff/followup/practices/lakeside/report";
                    assertThat(mvc.perform(get(report)).andReturn().getResponse().getStatus()).isEqualTo(403);
                    assertThat(mvc.perform(get(report).principal(() -> "joe")).andReturn().getResponse().getStatus()).isEqualTo(404);
                    assertThat(mvc.perform(get("/staff/followup/practices/elsewhere/report").principal(() -> "jane")).andReturn()
                            .getResponse().getStatus()).isEqualTo(404);
                    MvcResult ok = mvc.perform(get(report).principal(() -> "jane")).andReturn();
                    assertThat(ok.getResponse().getStatus()).isEqualTo(200);
                    assertThat(ok.getResponse().getContentType()).isEqualTo("text/html;charset=utf-8");
                    assertThat(ok.getResponse().getHeader("Content-Security-Policy")).startsWith("default-src 'none'");
                    assertThat(ok.getResponse().getHeader("Cache-Control")).isEqualTo("no-store");
                    assertThat(ok.getResponse().getContentAsString(StandardCharsets.UTF_8)).contains("Lakeside Family Medicine")
                            .contains("/staff/followup/practices/lakeside/tasks");
                    MvcResult csv = mvc.perform(get(report + ".csv").principal(() -> "jane")).andReturn();
                    assertThat(csv.getResponse().getStatus()).isEqualTo(200);
                    assertThat(csv.getResponse().getHeader("Content-Disposition")).startsWith("attachment;");
                    assertThat(mvc.perform(get("/followup/practices/lakeside/report").principal(() -> "jane")).andReturn().getResponse()
                            .getStatus()).as("only under the configured path").isEqualTo(404);
                });
    }

    @Test
    void aTaskIsClaimedAndCompletedWithTheSessionsTokenAndNotWithoutIt() {
        web.withUserConfiguration(Mvc.class).withPropertyValues(basic()).withBean(PracticeAccess.class, () -> JANE_SEES_LAKESIDE)
                .run(context -> {
                    FollowUpEngine engine = context.getBean(FollowUpEngine.class);
                    engine.handleInboundSms(new InboundSms(LAKESIDE, "SM-web-1", PhoneNumber.ofE164("+13125550177"), "Please call me back",
                            context.getBean(Clock.class).instant()));
                    StaffTask task = engine.openTasks(LAKESIDE).get(0);
                    String board = "/followup/practices/lakeside/tasks";
                    String claim = board + "/" + task.id().value() + "/claim";
                    MockMvc mvc = mvc(context);

                    // No session, so no token: refused, whatever the form says.
                    assertThat(mvc.perform(post(claim).principal(() -> "jane").param(TaskBoardHtml.CSRF_FIELD, "guess")).andReturn()
                            .getResponse().getStatus()).isEqualTo(403);
                    MockHttpSession session = new MockHttpSession();
                    String html = mvc.perform(get(board).principal(() -> "jane").session(session)).andReturn().getResponse()
                            .getContentAsString(StandardCharsets.UTF_8);
                    Matcher token = Pattern.compile("name=\"" + TaskBoardHtml.CSRF_FIELD + "\" value=\"([^\"]+)\"").matcher(html);
                    assertThat(token.find()).as("the board's forms carry the session's token").isTrue();
                    assertThat(html).contains("Please call me back");
                    // A session, but the wrong token: refused.
                    assertThat(mvc.perform(post(claim).principal(() -> "jane").session(session).param(TaskBoardHtml.CSRF_FIELD, "guess"))
                            .andReturn().getResponse().getStatus()).isEqualTo(403);
                    assertThat(engine.openTasks(LAKESIDE).get(0).state()).isEqualTo(TaskState.OPEN);

                    MvcResult claimed = mvc.perform(post(claim).principal(() -> "jane").session(session)
                            .param(TaskBoardHtml.CSRF_FIELD, token.group(1))).andReturn();
                    assertThat(claimed.getResponse().getStatus()).isEqualTo(303);
                    assertThat(claimed.getResponse().getHeader("Location")).isEqualTo(board + "?done=claimed");
                    assertThat(engine.openTasks(LAKESIDE).get(0).state()).isEqualTo(TaskState.CLAIMED);
                    MvcResult completed = mvc.perform(post(board + "/" + task.id().value() + "/complete").principal(() -> "jane")
                            .session(session).param(TaskBoardHtml.CSRF_FIELD, token.group(1)).param(TaskBoardHtml.OUTCOME_FIELD, "UNREACHABLE"))
                            .andReturn();
                    assertThat(completed.getResponse().getStatus()).isEqualTo(303);
                    assertThat(engine.openTasks(LAKESIDE)).isEmpty();
                    assertThat(mvc.perform(get(claim).principal(() -> "jane")).andReturn().getResponse().getStatus()).isEqualTo(405);
                });
    }

    @Test
    void anApplicationCanSayWhoIsSignedIn() {
        web.withUserConfiguration(Mvc.class).withPropertyValues(basic()).withBean(PracticeAccess.class, () -> JANE_SEES_LAKESIDE)
                .withBean(FollowUpWebUser.class, () -> request -> request.getHeader("X-Test-User")).run(context -> {
                    MockMvc mvc = mvc(context);
                    assertThat(mvc.perform(get("/followup/practices/lakeside/report").header("X-Test-User", "jane")).andReturn().getResponse()
                            .getStatus()).isEqualTo(200);
                    assertThat(mvc.perform(get("/followup/practices/lakeside/report").principal(() -> "jane")).andReturn().getResponse()
                            .getStatus()).isEqualTo(403);
                });
    }

    /** The pages' runner, in a servlet container that gives the application this context path. */
    private static WebApplicationContextRunner deployedAt(String contextPath) {
        return new WebApplicationContextRunner(() -> {
            MockServletContext servletContext = new MockServletContext();
            servletContext.setContextPath(contextPath);
            AnnotationConfigServletWebApplicationContext context = new AnnotationConfigServletWebApplicationContext();
            context.setServletContext(servletContext);
            return context;
        }).withConfiguration(FollowUpAutoConfigurationTest.ALL).withBean(InMemoryFollowUpStore.class);
    }

    private static MockMvc mvc(AssertableWebApplicationContext context) {
        return MockMvcBuilders.webAppContextSetup(context).build();
    }
}
