package io.floe.spi.plugin;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Calls into a plugin with the plugin's class loader as the thread's context class loader. The
 * libraries that plugins wrap load classes by name through that loader (Iceberg's {@code
 * DynConstructors}, the AWS SDK's HTTP client lookup, ...), and would not see the plugin's jars
 * from a thread of the server's. What a call returns as an interface (the storage kind's FileIO, its
 * files, its credential vendor) is wrapped the same way, so that its later calls run in the plugin's
 * context too; values of the server's own classes pass unchanged.
 */
final class PluginCalls implements InvocationHandler {
  private final Object target;
  private final ClassLoader loader;

  private PluginCalls(Object target, ClassLoader loader) {
    this.target = target;
    this.loader = loader;
  }

  /** {@code target} seen through {@code declared}, each call in the plugin's context. */
  static <T> T wrap(Class<T> declared, T target, ClassLoader loader) {
    return declared.cast(wrapValue(declared, declared, target, loader));
  }

  /** A call that may throw anything: what a proxied method may. */
  interface Call<T> {
    T call() throws Throwable;
  }

  static <T> T inContext(ClassLoader loader, Call<T> call) throws Throwable {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      return call.call();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /** An interface-typed value of the plugin's as a proxy; an {@code Optional} of one holds a proxy. */
  private static Object wrapValue(Class<?> declared, Type generic, Object value, ClassLoader loader) {
    if (value == null) {
      return null;
    }
    if (value instanceof Optional<?> optional && generic instanceof ParameterizedType type
        && type.getActualTypeArguments()[0] instanceof Class<?> inner) {
      return optional.map(content -> wrapValue(inner, inner, content, loader));
    }
    if (!declared.isInterface() || value.getClass().getClassLoader() != loader) {
      return value;
    }
    Set<Class<?>> interfaces = new LinkedHashSet<>();
    for (Class<?> type = value.getClass(); type != null; type = type.getSuperclass()) {
      collectVisible(type, loader, interfaces);
    }
    if (!interfaces.contains(declared)) {
      return value;
    }
    return Proxy.newProxyInstance(
        PluginCalls.class.getClassLoader(), interfaces.toArray(Class<?>[]::new), new PluginCalls(value, loader));
  }

  /** The public interfaces of {@code type} that the server's classes can see: not the plugin's own. */
  private static void collectVisible(Class<?> type, ClassLoader loader, Set<Class<?>> into) {
    for (Class<?> candidate : type.getInterfaces()) {
      if (candidate.getClassLoader() != loader && Modifier.isPublic(candidate.getModifiers())) {
        into.add(candidate);
      }
      collectVisible(candidate, loader, into);
    }
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (args != null) {
      for (int i = 0; i < args.length; i++) {
        args[i] = unwrap(args[i]);
      }
    }
    if (method.getDeclaringClass() == Object.class) {
      return method.invoke(target, args); // equals, hashCode, toString: the target's, on unwrapped arguments
    }
    Object result = inContext(loader, () -> {
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
    return wrapValue(method.getReturnType(), method.getGenericReturnType(), result, loader);
  }

  private static Object unwrap(Object value) {
    if (value != null && Proxy.isProxyClass(value.getClass()) && Proxy.getInvocationHandler(value) instanceof PluginCalls calls) {
      return calls.target;
    }
    return value;
  }
}
