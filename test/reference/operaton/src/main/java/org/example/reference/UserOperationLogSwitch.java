package org.example.reference;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.operaton.bpm.engine.ProcessEngine;
import org.operaton.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * `PUT /reference/user-operation-log?restrict=false|true` (outside /engine-rest): whether the engine records only the
 * operations of an authenticated user. The REST API has no authentication here, so a differential suite turns it off
 * to compare the log of an open API and back on when done; each command reads the setting as it starts.
 */
@Configuration
public class UserOperationLogSwitch {
  @Bean
  public ServletRegistrationBean<HttpServlet> userOperationLogSwitchServlet(ProcessEngine engine) {
    HttpServlet servlet = new HttpServlet() {
      @Override
      protected void doPut(HttpServletRequest request, HttpServletResponse response) {
        ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
        configuration.setRestrictUserOperationLogToAuthenticatedUsers(Boolean.parseBoolean(request.getParameter("restrict")));
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
      }
    };
    return new ServletRegistrationBean<>(servlet, "/reference/user-operation-log");
  }
}
