package dev.hotconf.spring;

import dev.hotconf.Setting;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * Registers a {@code Setting<T>} bean for each {@link HotConfigProperties} record: those listed by
 * {@link EnableHotConfigProperties} when imported by it, those in the auto-configuration packages
 * when imported by {@link HotConfigAutoConfiguration}. The bean's generic type is {@code
 * Setting<T>}, so it is injected where {@code Setting<T>} or {@code Supplier<T>} is asked for; its
 * name is {@code prefix-fully.qualified.Type}. A record registered both ways gets one bean.
 */
final class HotConfigPropertiesRegistrar
    implements ImportBeanDefinitionRegistrar, EnvironmentAware, ResourceLoaderAware {
  private Environment environment;
  private ResourceLoader resourceLoader;

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void setResourceLoader(ResourceLoader resourceLoader) {
    this.resourceLoader = resourceLoader;
  }

  @Override
  public void registerBeanDefinitions(
      AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
    if (!OnHotConfigCondition.running(environment)) {
      return;
    }
    Map<String, Object> explicit =
        metadata.getAnnotationAttributes(EnableHotConfigProperties.class.getName());
    Set<Class<?>> types = new LinkedHashSet<>();
    if (explicit != null) {
      types.addAll(List.of((Class<?>[]) explicit.get("value")));
    } else if (registry instanceof BeanFactory factory && AutoConfigurationPackages.has(factory)) {
      types.addAll(scan(AutoConfigurationPackages.get(factory)));
    }
    for (Class<?> type : types) {
      register(registry, type);
    }
  }

  private Set<Class<?>> scan(List<String> packages) {
    ClassPathScanningCandidateComponentProvider scanner =
        new ClassPathScanningCandidateComponentProvider(false, environment);
    scanner.setResourceLoader(resourceLoader);
    scanner.addIncludeFilter(new AnnotationTypeFilter(HotConfigProperties.class));
    ClassLoader loader = resourceLoader == null ? null : resourceLoader.getClassLoader();
    Set<Class<?>> out = new LinkedHashSet<>();
    for (String pkg : packages) {
      for (BeanDefinition candidate : scanner.findCandidateComponents(pkg)) {
        out.add(ClassUtils.resolveClassName(candidate.getBeanClassName(), loader));
      }
    }
    return out;
  }

  private static void register(BeanDefinitionRegistry registry, Class<?> type) {
    HotConfigProperties annotation = type.getAnnotation(HotConfigProperties.class);
    if (annotation == null) {
      throw new IllegalArgumentException(
          type.getName() + " is listed in @EnableHotConfigProperties but not @HotConfigProperties");
    }
    String prefix = annotation.value();
    String name = prefix + "-" + type.getName();
    if (registry.containsBeanDefinition(name)) {
      return;
    }
    RootBeanDefinition definition = new RootBeanDefinition(Setting.class);
    definition.setTargetType(ResolvableType.forClassWithGenerics(Setting.class, type));
    BeanFactory factory = (BeanFactory) registry;
    definition.setInstanceSupplier(() -> factory.getBean(LiveRecords.class).setting(prefix, type));
    registry.registerBeanDefinition(name, definition);
  }
}
