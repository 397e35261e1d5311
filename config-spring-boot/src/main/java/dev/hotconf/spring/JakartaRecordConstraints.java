package dev.hotconf.spring;

import dev.hotconf.ConfigList;
import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigScalar;
import dev.hotconf.Redactor;
import dev.hotconf.bind.Name;
import dev.hotconf.validate.ValidationContext;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/*
 * Design: Jakarta reports a violation at a property path of the Java object (poolMax,
 * servers[1].host, limits[a]); hotconf reports problems at a key of the configuration as the user
 * wrote it (db.pool.pool-max) and at that value's origin. locate() walks both at once: each
 * property node picks the record component's spelling that is present in the bound object (the
 * binder accepts poolMax, pool-max and pool_max, or the @Name), each container node steps into
 * the list index or map key. A value that came from a default has no node: its key is written in
 * the kebab form and the ValidationContext puts the problem at the nearest written parent.
 */

/**
 * Live records' constraints through a Jakarta Bean Validation {@link Validator} (Hibernate
 * Validator, e.g. from {@code spring-boot-starter-validation}): {@code @Min}, {@code @NotBlank},
 * {@code @Pattern}, class-level constraints, and nested records with {@code @Valid}. Each violation
 * becomes a problem {@code app.yaml:7:10: db.pool.max: must be greater than or equal to 1 but found
 * -1}. A violation of a secret key never shows its value, even if a custom message template
 * interpolates it. Thread-safe (the Jakarta validator is).
 */
final class JakartaRecordConstraints implements RecordConstraints {
  private final Validator validator;

  JakartaRecordConstraints(Validator validator) {
    this.validator = Objects.requireNonNull(validator, "validator");
  }

  @Override
  public boolean constrains(Class<?> type) {
    return validator.getConstraintsForClass(type).isBeanConstrained();
  }

  @Override
  public void check(Object record, String prefix, ConfigNode node, ValidationContext context) {
    List<ConstraintViolation<Object>> violations = new ArrayList<>(validator.validate(record));
    violations.sort(
        Comparator.comparing((ConstraintViolation<Object> v) -> v.getPropertyPath().toString())
            .thenComparing(ConstraintViolation::getMessage));
    Redactor redactor = context.redactor();
    for (ConstraintViolation<Object> v : violations) {
      Located at = locate(prefix, record.getClass(), node, v.getPropertyPath());
      String message = v.getMessage();
      Object invalid = v.getInvalidValue();
      if (redactor.isSecret(at.key) && invalid != null) {
        String text = String.valueOf(invalid);
        if (!text.isEmpty() && message.contains(text)) {
          // the template may interpolate the value (${validatedValue}): withhold the message
          message =
              "violates @"
                  + v.getConstraintDescriptor().getAnnotation().annotationType().getSimpleName()
                  + " (message withheld: it would show the secret value)";
        }
      }
      if (at.node != null) {
        message += " but found " + redactor.display(at.key, at.node);
      } else if (invalid != null && at.defaulted) {
        message += " (the default value)";
      }
      context.problem(at.key, message);
    }
  }

  /** Where a violation is: its key as written, the node (null if absent), whether defaulted. */
  private record Located(String key, ConfigNode node, boolean defaulted) {}

  static Located locate(String prefix, Type recordType, ConfigNode node, Path path) {
    String key = prefix;
    ConfigNode current = node;
    Type type = recordType;
    boolean defaulted = node == null;
    for (Path.Node n : path) {
      if (n.isInIterable()) {
        if (n.getIndex() != null) {
          int index = n.getIndex();
          key = key + "[" + index + "]";
          current = current instanceof ConfigList l && index < l.size() ? l.get(index) : null;
          type = typeArgument(type, 0);
        } else if (n.getKey() != null) {
          String k = String.valueOf(n.getKey());
          key = child(key, k);
          current = current instanceof ConfigObject o ? present(o.get(k)) : null;
          type = typeArgument(type, 1);
        } else {
          type = typeArgument(type, 0); // Optional<...>: the same node
        }
      }
      if (n.getKind() == ElementKind.PROPERTY && n.getName() != null) {
        RecordComponent component = component(rawClass(type), n.getName());
        String[] names = names(component, n.getName());
        String written = null;
        if (current instanceof ConfigObject o) {
          for (String name : names) {
            if (present(o.get(name)) != null) {
              written = name;
              break;
            }
          }
        }
        key = child(key, written != null ? written : names[names.length > 1 ? 1 : 0]);
        current = written != null ? ((ConfigObject) current).get(written) : null;
        defaulted |= written == null;
        type = component == null ? Object.class : component.getGenericType();
        if (rawClass(type) == Optional.class) {
          type = typeArgument(type, 0);
        }
      }
    }
    return new Located(key, current, defaulted);
  }

  private static String child(String key, String name) {
    return key.isEmpty() ? name : key + "." + name;
  }

  private static ConfigNode present(ConfigNode n) {
    return n instanceof ConfigScalar s && s.isNull() ? null : n;
  }

  private static RecordComponent component(Class<?> type, String name) {
    if (type == null || !type.isRecord()) {
      return null;
    }
    for (RecordComponent rc : type.getRecordComponents()) {
      if (rc.getName().equals(name)) {
        return rc;
      }
    }
    return null;
  }

  /** The spellings the binder accepts, the kebab form second: {@code poolMax, pool-max, ...}. */
  private static String[] names(RecordComponent component, String name) {
    Name fixed = component == null ? null : component.getAnnotation(Name.class);
    if (fixed != null) {
      return new String[] {fixed.value()};
    }
    StringBuilder kebab = new StringBuilder();
    for (char ch : name.toCharArray()) {
      if (Character.isUpperCase(ch)) {
        kebab.append('-').append(Character.toLowerCase(ch));
      } else {
        kebab.append(ch);
      }
    }
    return new String[] {name, kebab.toString(), kebab.toString().replace('-', '_')};
  }

  private static Class<?> rawClass(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
      return c;
    }
    return null;
  }

  private static Type typeArgument(Type type, int index) {
    if (type instanceof ParameterizedType p) {
      Type[] args = p.getActualTypeArguments();
      return args.length > index ? args[index] : args[args.length - 1];
    }
    return Object.class;
  }
}
