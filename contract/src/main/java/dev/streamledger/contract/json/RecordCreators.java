package dev.streamledger.contract.json;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Modifier;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.ValueInstantiator;
import tools.jackson.databind.deser.ValueInstantiators;
import tools.jackson.databind.deser.std.StdValueInstantiator;
import tools.jackson.databind.introspect.AnnotatedConstructor;
import tools.jackson.databind.introspect.AnnotatedMethod;
import tools.jackson.databind.introspect.AnnotatedWithParams;
import tools.jackson.databind.module.SimpleModule;

/**
 * Calls the constructor or static factory a value is created with (a record's canonical
 * constructor, a {@code @JsonCreator} method) through a method handle made once per type. Jackson 3
 * calls it with {@code MethodHandle.invokeWithArguments}, which builds a new argument spreader on
 * every call: 6 % of the projector's CPU per transfer and 3 % of the query service's
 * (docs/performance.md, change 9). Everything else — which creator, how arguments are found, what
 * a creator's exception becomes — stays Jackson's. {@link Json#MAPPER} has it; the command service
 * gives it to the mapper that reads request bodies too. A workaround: once Jackson keeps a
 * prepared spreader itself (its {@code AnnotatedConstructor.call(Object[])}), this can go.
 */
public final class RecordCreators extends SimpleModule {

  public RecordCreators() {
    super("record-creators");
  }

  @Override
  public void setupModule(SetupContext context) {
    super.setupModule(context);
    context.addValueInstantiators(new ValueInstantiators.Base() {
      @Override
      public ValueInstantiator modifyValueInstantiator(DeserializationConfig config,
          BeanDescription.Supplier description, ValueInstantiator instantiator) {
        return prepared(instantiator);
      }
    });
  }

  /** {@code instantiator}, calling its creator through a prepared handle where it can. */
  private static ValueInstantiator prepared(ValueInstantiator instantiator) {
    if (instantiator.getClass() != StdValueInstantiator.class || !instantiator.canCreateFromObjectWith()) {
      return instantiator;
    }
    MethodHandle creator = spreading(instantiator.getWithArgsCreator());
    return creator == null ? instantiator : new Spread((StdValueInstantiator) instantiator, creator);
  }

  /**
   * {@code (Object[]) -> Object} for a constructor or a static factory method; null for anything
   * else, or one that cannot be reached (Jackson's own path then).
   */
  private static MethodHandle spreading(AnnotatedWithParams creator) {
    try {
      MethodHandle handle;
      if (creator instanceof AnnotatedConstructor constructor) {
        handle = MethodHandles.lookup().unreflectConstructor(constructor.getAnnotated());
      } else if (creator instanceof AnnotatedMethod method && Modifier.isStatic(method.getModifiers())) {
        handle = MethodHandles.lookup().unreflect(method.getAnnotated());
      } else {
        return null;
      }
      return handle.asSpreader(Object[].class, creator.getParameterCount())
          .asType(MethodType.methodType(Object.class, Object[].class));
    } catch (IllegalAccessException | IllegalArgumentException e) {
      return null;
    }
  }

  /** Jackson's instantiator with the creator called through one prepared handle. */
  static final class Spread extends StdValueInstantiator {

    private final MethodHandle creator;

    Spread(StdValueInstantiator jacksons, MethodHandle creator) {
      super(jacksons);
      this.creator = creator;
    }

    @Override
    public Object createFromObjectWith(DeserializationContext context, Object[] arguments) {
      try {
        return (Object) creator.invokeExact(arguments);
      } catch (Error e) {
        throw e;
      } catch (Throwable e) { // what Jackson does with a creator's exception (a record's validation)
        return context.handleInstantiationProblem(_valueClass, arguments, rewrapCtorProblem(context, e));
      }
    }
  }
}
