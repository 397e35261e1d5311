package dev.hotconf.spring.apps.plain;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** An application without live records: for settings, precedence and start-up failure tests. */
@SpringBootApplication
public class PlainApp {}
