package dev.followup.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * A data source that counts the statements executed through it: each {@code execute…} call is one
 * round trip to a server database, a batch or a statement list included, and so is each commit the
 * driver sends. How many a piece of work costs is what the
 * batching tests assert, since that, not wall time, is what a test can pin down on a noisy machine.
 * Run a test with {@code -DargLine=-DstatementCounter.print=1} to list each statement as it runs.
 */
final class StatementCounter {
    private final AtomicInteger executions = new AtomicInteger();
    private final AtomicInteger commits = new AtomicInteger();
    private final java.util.Queue<String> executed = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final DataSource counted;

    StatementCounter(DataSource target) {
        this.counted = proxy(DataSource.class, target);
    }

    DataSource dataSource() {
        return counted;
    }

    int executions() {
        return executions.get();
    }

    /** @return the statements executed and the commits that reached the server: the round trips */
    int roundTrips() {
        return executions.get() + commits.get();
    }

    void reset() {
        executions.set(0);
        commits.set(0);
        executed.clear();
    }

    /** @return the statements sent since the last reset, each of a statement list counted (a batch counts once), COMMIT included */
    long statements() {
        return statementsStartingWith("");
    }

    /**
     * @param statementStart how a statement begins
     * @return how many statements beginning so were sent since the last reset, each of a statement
     *     list counted (a batch counts once)
     */
    long statementsStartingWith(String statementStart) {
        return executed.stream().flatMap(sql -> java.util.Arrays.stream(sql.split(";")))
                .filter(statement -> statement.strip().startsWith(statementStart)).count();
    }

    private <T> T proxy(Class<T> type, T target) {
        InvocationHandler handler = (p, method, args) -> {
            if (target instanceof Connection connection && method.getName().equals("commit") && commitReachesTheServer(connection)) {
                commits.incrementAndGet();
            }
            Object result = invoke(method, target, args);
            if (result instanceof Connection c && method.getReturnType() == Connection.class) {
                return proxy(Connection.class, c);
            }
            if (result instanceof Statement s && Statement.class.isAssignableFrom(method.getReturnType())) {
                String sql = args != null && args.length > 0 && args[0] instanceof String text ? text : "?";
                return proxyStatement(s, method.getReturnType(), sql);
            }
            return result;
        };
        return type.cast(Proxy.newProxyInstance(StatementCounter.class.getClassLoader(), new Class<?>[] {type}, handler));
    }

    /**
     * PostgreSQL's driver sends nothing for a commit when the server has already ended the
     * transaction (a statement list that ended with {@code COMMIT}); H2 runs in this process, where
     * every commit is counted as one.
     */
    private static boolean commitReachesTheServer(Connection connection) throws SQLException {
        if (connection.isWrapperFor(BaseConnection.class)) {
            return connection.unwrap(BaseConnection.class).getTransactionState() != TransactionState.IDLE;
        }
        return true;
    }

    private Object proxyStatement(Statement target, Class<?> type, String sql) {
        InvocationHandler handler = (p, method, args) -> {
            if (method.getName().startsWith("execute")) {
                executions.incrementAndGet();
                executed.add(sql);
                if (System.getProperty("statementCounter.print") != null) {
                    System.out.println("SQL " + sql.substring(0, Math.min(90, sql.length())));
                }
            }
            return invoke(method, target, args);
        };
        return Proxy.newProxyInstance(StatementCounter.class.getClassLoader(), new Class<?>[] {type}, handler);
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
