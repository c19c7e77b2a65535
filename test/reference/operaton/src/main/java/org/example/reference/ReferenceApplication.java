package org.example.reference;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Operaton's engine and REST API (/engine-rest) for the differential suite; configured by application.yaml. */
@SpringBootApplication
public class ReferenceApplication {
  public static void main(String[] args) {
    SpringApplication.run(ReferenceApplication.class, args);
  }
}
