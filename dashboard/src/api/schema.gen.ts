// Generated from the server's OpenAPI document by `npm run gen:api`; do not edit.
export interface paths {
  '/health': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Liveness: the process answers */
    get: operations['getHealth'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/ready': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Readiness: the database answers and every migration is applied */
    get: operations['getReady'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/metrics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Prometheus metrics
     * @description When EMMA_METRICS_TOKEN is set, send it as a bearer token.
     */
    get: operations['getMetrics'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/openapi.json': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** This API as an OpenAPI 3.1 document */
    get: operations['getOpenapiJson'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/docs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Browsable API documentation (Swagger UI) */
    get: operations['getApiDocs'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/docs/{asset}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Static files of the documentation page */
    get: operations['getApiDocsByAsset'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/login': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Log in with email and password
     * @description Returns a short-lived access token and a single-use refresh token. Repeated failures lock the account and the client address for a while (429 with Retry-After). Unknown user and wrong password answer alike.
     */
    post: operations['postAuthLogin'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/refresh': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Exchange a refresh token for a new token pair
     * @description Each refresh token works once. Presenting a used one revokes its whole session.
     */
    post: operations['postAuthRefresh'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/logout': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * End the current session
     * @description Revokes the session: its access token and refresh tokens stop working at once.
     */
    post: operations['postAuthLogout'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The signed-in user and their permissions */
    get: operations['getAuthMe'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/ws-ticket': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * A single-use ticket for the realtime WebSocket
     * @description Browsers cannot send an Authorization header on a WebSocket: connect to `<url>?ticket=<ticket>` (or, when `url` is null, `ws(s)://<the page host>:<port>/ws?ticket=<ticket>`) within 30 seconds. The ticket works once; the connection lasts until the access token that asked for it expires (send `{"op":"auth","token":…}` with a fresh one to extend it).
     */
    post: operations['postAuthWsTicket'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/password': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Change your own password
     * @description Needs the current password; ends every other session of the user.
     */
    post: operations['postAuthPassword'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List users */
    get: operations['getUsers'];
    put?: never;
    /** Create a user */
    post: operations['postUsers'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a user */
    get: operations['getUsersById'];
    put?: never;
    post?: never;
    /**
     * Delete a user (soft delete)
     * @description The user can no longer log in and their sessions end; the row stays for the audit trail.
     */
    delete: operations['deleteUsersById'];
    options?: never;
    head?: never;
    /**
     * Change a user: name, email, role, disable, or reset the password
     * @description Disabling a user or resetting their password ends their sessions at once. The last active admin cannot be demoted or disabled (409 last_admin).
     */
    patch: operations['patchUsersById'];
    trace?: never;
  };
  '/api/v1/roles': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List roles and their permissions */
    get: operations['getRoles'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/audit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List audit entries, newest first
     * @description Filter by actor, action (exact, or a prefix ending in *), target and time; page with `before`.
     */
    get: operations['getAudit'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/audit/verify': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Verify the audit hash chain */
    get: operations['getAuditVerify'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/enrollment-tokens': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List enrolment tokens (never their secret) */
    get: operations['getEnrollmentTokens'];
    put?: never;
    /**
     * Create an enrolment token for new agents
     * @description Returns the token and the exact `docker run` command and compose snippet for a new host.
     */
    post: operations['postEnrollmentTokens'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/enrollment-tokens/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Revoke an enrolment token
     * @description Agents already enrolled with it keep working.
     */
    delete: operations['deleteEnrollmentTokensById'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/enrollment-tokens/{id}/install': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The docker run command and compose snippet that install an agent with this token */
    get: operations['getEnrollmentTokensByIdInstall'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/agents/enroll': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** An agent enrols with an enrolment token (or the bare EMMA_AGENT_ENROLL_TOKEN secret) and receives its own credential */
    post: operations['postAgentsEnroll'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/agents/self/config': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The calling agent's configuration (ETag / If-None-Match) */
    get: operations['getAgentsSelfConfig'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/agents/self/credential': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** The calling agent replaces its credential; the old one stops working */
    post: operations['postAgentsSelfCredential'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/agents': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List agents */
    get: operations['getAgents'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/agents/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get an agent */
    get: operations['getAgentsById'];
    put?: never;
    post?: never;
    /** Delete an agent (soft delete; its credential stops working) */
    delete: operations['deleteAgentsById'];
    options?: never;
    head?: never;
    /** Rename, relabel, approve or change the interval of an agent */
    patch: operations['patchAgentsById'];
    trace?: never;
  };
  '/api/v1/agents/{id}/revoke': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Revoke an agent: its next request gets 401; it stays listed */
    post: operations['postAgentsByIdRevoke'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/agents/{id}/rotate-credential': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Ask the agent to replace its credential at its next configuration pull */
    post: operations['postAgentsByIdRotateCredential'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/agents/{id}/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** What happened to an agent: enrolled, approved, online, offline, revoked … */
    get: operations['getAgentsByIdEvents'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/ingest': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * An agent delivers a batch of samples
     * @description Body: the IngestBatch JSON, optionally gzip-compressed (Content-Encoding: gzip). A batch whose (agent, seq) was stored before is acknowledged as a duplicate and not stored again, so agents may replay safely.
     */
    post: operations['postIngest'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/agents/{id}/metrics/latest': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The newest value of each metric of an agent */
    get: operations['getAgentsByIdMetricsLatest'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/metrics/latest': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The newest value of some metrics of several agents (the rows a host list shows)
     * @description One request instead of one per agent. Unknown and deleted agents simply have no items. New values arrive as `samples` changes on the `agent:<id>` topics.
     */
    get: operations['getMetricsLatest'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/series/query': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Points of metrics of an agent (or of agents selected by labels) in a time range
     * @description Reads the coarsest storage tier that still gives the resolution: raw samples (kept `EMMA_RAW_RETENTION_DAYS`), 1-minute rollups (`EMMA_ROLLUP_1M_RETENTION_DAYS`) or 1-hour rollups (`EMMA_ROLLUP_1H_RETENTION_DAYS`), and says which (`tier`) at which step (`stepS`). The newest minutes, which the rollups have not reached yet, come from raw samples.
     *
     *     `Accept: text/csv` answers CSV (a header row, then one line per row).
     */
    get: operations['getSeriesQuery'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/probes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List probes with their state */
    get: operations['getProbes'];
    put?: never;
    /** Create a probe (HTTP(S), TCP, ICMP, SQL, DNS or TLS) run by one agent or by agents matching labels */
    post: operations['postProbes'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/probes/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a probe with its state (overall and per agent) */
    get: operations['getProbesById'];
    put?: never;
    post?: never;
    /** Delete a probe (soft delete) */
    delete: operations['deleteProbesById'];
    options?: never;
    head?: never;
    /** Change a probe; agents pick the change up with their next configuration pull */
    patch: operations['patchProbesById'];
    trace?: never;
  };
  '/api/v1/probes/{id}/results': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Raw results of a probe in a time range (default: the last hour), oldest first */
    get: operations['getProbesByIdResults'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/probes/{id}/history': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Checks of a probe per time bucket: availability and latency, over any range the tiers hold
     * @description Read like `/api/v1/series/query`: the coarsest storage tier with the resolution (raw results, 1-minute or 1-hour rollups), buckets of `stepS` seconds, at most `maxPoints`.
     *
     *     `Accept: text/csv` answers CSV (a header row, then one line per row).
     */
    get: operations['getProbesByIdHistory'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/probes/{id}/uptime': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Uptime % and latency p50/p95/p99 over the last 24 hours, 7 days and 30 days
     * @description Degraded checks count as up (the service answered, slowly). A window longer than raw retention (`EMMA_RAW_RETENTION_DAYS`) is counted from the rollups: p95 is then the check-weighted mean of daily p95s, and p50/p99 are null.
     */
    get: operations['getProbesByIdUptime'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/probe-uptime-bars': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Checks per time window of up to 200 probes at once (the uptime bars of a list)
     * @description Each probe gets `buckets` equal windows over the last `hours`, oldest first, the newest still running; each window counts checks, down checks and degraded checks over all agents.
     */
    get: operations['getProbeUptimeBars'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/probes/{id}/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** State changes of a probe, newest first */
    get: operations['getProbesByIdEvents'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/alert-rules': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List alert rules */
    get: operations['getAlertRules'];
    put?: never;
    /** Create an alert rule (probe down/degraded, agent offline, container, metric threshold, TLS expiry) */
    post: operations['postAlertRules'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/alert-rules/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get an alert rule */
    get: operations['getAlertRulesById'];
    put?: never;
    post?: never;
    /** Delete an alert rule (soft delete); its live incidents resolve */
    delete: operations['deleteAlertRulesById'];
    options?: never;
    head?: never;
    /** Change an alert rule; the result is validated as a whole */
    patch: operations['patchAlertRulesById'];
    trace?: never;
  };
  '/api/v1/incidents': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List incidents, newest first */
    get: operations['getIncidents'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/incidents/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get an incident with its full history */
    get: operations['getIncidentsById'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/incidents/{id}/ack': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Acknowledge an open incident (stops repeats), optionally with a comment */
    post: operations['postIncidentsByIdAck'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/incidents/{id}/resolve': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Resolve an incident by hand, optionally with a comment
     * @description A condition that still holds opens the incident again after the rule's "for" time.
     */
    post: operations['postIncidentsByIdResolve'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/incidents/{id}/comments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Comment on an incident */
    post: operations['postIncidentsByIdComments'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/incidents/{id}/assign': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Assign an incident to a user (null unassigns) */
    post: operations['postIncidentsByIdAssign'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/maintenance-windows': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List maintenance windows */
    get: operations['getMaintenanceWindows'];
    put?: never;
    /**
     * Create a maintenance window (one-off or cron) for an agent, probe, container or label selector
     * @description Incidents still open during a window; their notifications are held until it ends.
     */
    post: operations['postMaintenanceWindows'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/maintenance-windows/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a maintenance window */
    get: operations['getMaintenanceWindowsById'];
    put?: never;
    post?: never;
    /** Delete a maintenance window */
    delete: operations['deleteMaintenanceWindowsById'];
    options?: never;
    head?: never;
    /** Change a maintenance window */
    patch: operations['patchMaintenanceWindowsById'];
    trace?: never;
  };
  '/api/v1/notification-channels': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List notification channels (without their secrets) */
    get: operations['getNotificationChannels'];
    put?: never;
    /**
     * Create a channel: email, slack, teams, webhook, pagerduty, telegram or ntfy
     * @description Secret fields (webhook URLs, passwords, tokens) are stored encrypted and never returned.
     */
    post: operations['postNotificationChannels'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/notification-channels/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a notification channel (without its secrets) */
    get: operations['getNotificationChannelsById'];
    put?: never;
    post?: never;
    /** Delete a channel (soft delete; its pending deliveries fail) */
    delete: operations['deleteNotificationChannelsById'];
    options?: never;
    head?: never;
    /** Change a channel; secret fields left out of a new config keep their values */
    patch: operations['patchNotificationChannelsById'];
    trace?: never;
  };
  '/api/v1/notification-channels/{id}/test': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Send a test message through the channel now; answers the recorded delivery
     * @description The answer is 200 whether the send worked or not: see `status`, `lastError`, `attemptLog`.
     */
    post: operations['postNotificationChannelsByIdTest'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/notification-deliveries': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Notification deliveries, newest first */
    get: operations['getNotificationDeliveries'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/notification-deliveries/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One delivery with its message and every attempt */
    get: operations['getNotificationDeliveriesById'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/containers': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The agents' containers with their state and newest stats */
    get: operations['getContainers'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/containers/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One container, by eMMA id or engine id (or a prefix of at least 12 hex digits) */
    get: operations['getContainersById'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/containers/{id}/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A container's history, newest first: observed state changes and the engine's events */
    get: operations['getContainersByIdEvents'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/containers/{id}/series': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Points of one metric of a container in a time range (default: the last hour)
     * @description Read like `/api/v1/series/query`: from the storage tier that fits the range, at most `maxPoints`.
     */
    get: operations['getContainersByIdSeries'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/containers/{id}/actions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Actions requested for a container, newest first */
    get: operations['getContainersByIdActions'];
    put?: never;
    /** Start, stop or restart a container: queued for the container's agent, which takes it once */
    post: operations['postContainersByIdActions'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/container-actions/{actionId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One container action and how it went */
    get: operations['getContainerActionsByActionId'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/agents/self/commands': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The calling agent takes its queued commands (long poll with waitS); each is handed out once
     * @description Taken commands become running; report each with POST /api/v1/agents/self/commands/{id}/result. With waitS > 0 and nothing queued the request waits up to waitS seconds; it may answer an empty list earlier.
     */
    get: operations['getAgentsSelfCommands'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/agents/self/commands/{id}/result': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** The calling agent reports how a command it took ended */
    post: operations['postAgentsSelfCommandsByIdResult'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/overview': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Counts by state of agents, probes, containers and live incidents
     * @description What the dashboard shows first: how many agents, probes and containers are in each state, and how many incidents are open or acknowledged by severity. Every known state appears, with 0 when none is in it. Live changes arrive on the `overview` WebSocket topic; re-read this after a reconnect.
     */
    get: operations['getOverview'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/dashboards': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the caller's own dashboards and those other users share (own first, then by name) */
    get: operations['getDashboards'];
    put?: never;
    /**
     * Create a dashboard owned by the caller
     * @description Widgets sit on a 12-column grid (x, y, w, h); types: chart (metrics of an agent or of agents by labels over a range), status (tiles of agents, probes or containers), incidents (the newest matching).
     */
    post: operations['postDashboards'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/dashboards/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a dashboard of the caller or one shared with them */
    get: operations['getDashboardsById'];
    put?: never;
    post?: never;
    /** Delete an own dashboard (admins: any dashboard); soft delete */
    delete: operations['deleteDashboardsById'];
    options?: never;
    head?: never;
    /** Change name, description, sharing or widgets (widgets replace all) of an own dashboard */
    patch: operations['patchDashboardsById'];
    trace?: never;
  };
  '/api/v1/reports/uptime': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Uptime/SLA report per probe, agent or agent label, excluding maintenance windows
     * @description Counts checks in buckets of one minute (one hour for the part of the range older than the 1 m tier keeps, the range then starting on a whole hour): the 1 m rollup up to its progress, raw results after it. A bucket is left out when an occurrence of a maintenance window overlaps it and covers the probe-agent pair (a window on the probe, on the agent, or on labels the agent has; recurring windows expand by their cron in UTC; a deleted window counts until its deletion). availabilityPct = (up + degraded) / checks × 100 over the remaining checks. downtimeMinutes = Σ over the remaining buckets of (down checks / checks) × the bucket length, the checks of all the item's probe-agent pairs in that bucket together. maintenanceMinutes = the minutes of excluded buckets (any of the item's pairs). incidents = incidents about the probe (group=probe) or about the group's agents or its probes on those agents, opened within the range; mttrS = the mean of (resolved_at − opened_at) of those resolved. latencyP95Ms is over the checks that were not down: exact when the whole range is within raw retention (latencyP95Source 'raw'), else the check-weighted mean of the bucket p95s ('rollup'). Accept: text/csv answers one row per item; Accept: text/html a printable page (in German with Accept-Language: de).
     *
     *     `Accept: text/csv` answers CSV (a header row, then one line per row); `Accept: text/html` answers a printable HTML page.
     */
    get: operations['getReportsUptime'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    Error: {
      error: {
        /** @description Stable machine-readable code, e.g. validation_failed */
        code: string;
        /** @description Human-readable explanation */
        message: string;
        /** @description Field-level problems or other structured context */
        details?: unknown;
        /** @description Echoes X-Request-Id; quote it when reporting a problem */
        requestId: string;
      };
    };
    TokenPair: {
      accessToken: string;
      /** @constant */
      tokenType: 'Bearer';
      /** @description Seconds until the access token expires */
      expiresIn: number;
      /** @description Single use; each refresh returns a new one */
      refreshToken: string;
      refreshExpiresIn: number;
      user: components['schemas']['User'];
    };
    User: {
      /** Format: uuid */
      id: string;
      email: string;
      name: string;
      /** @enum {string} */
      role: 'admin' | 'operator' | 'viewer';
      disabled: boolean;
      mustChangePassword: boolean;
      lastLoginAt: string | null;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
      deletedAt: string | null;
    };
    Me: {
      user: components['schemas']['User'];
      permissions: (
        | 'users:read'
        | 'users:write'
        | 'roles:read'
        | 'audit:read'
        | 'agents:read'
        | 'agents:write'
        | 'enrollment:write'
        | 'metrics:read'
        | 'probes:read'
        | 'probes:write'
        | 'containers:read'
        | 'containers:act'
        | 'alerts:read'
        | 'alerts:write'
        | 'incidents:write'
        | 'notifications:write'
        | 'channels:write'
        | 'dashboards:read'
        | 'dashboards:write'
        | 'reports:read'
        | 'system:read'
      )[];
    };
    WsTicket: {
      ticket: string;
      /** Format: date-time */
      expiresAt: string;
      /** @description EMMA_WS_PUBLIC_URL: a full ws:// or wss:// URL, or an absolute path such as /ws on the page's own origin (connect to ws(s)://<page host and port><path>, wss on an https page); null: connect to ws(s)://<page host>:<port>/ws */
      url: string | null;
      /** @description The realtime port: the one this process's WebSocket server listens on, else EMMA_WS_PORT */
      port: number;
    };
    Role: {
      /** @enum {string} */
      name: 'admin' | 'operator' | 'viewer';
      description: string;
      permissions: (
        | 'users:read'
        | 'users:write'
        | 'roles:read'
        | 'audit:read'
        | 'agents:read'
        | 'agents:write'
        | 'enrollment:write'
        | 'metrics:read'
        | 'probes:read'
        | 'probes:write'
        | 'containers:read'
        | 'containers:act'
        | 'alerts:read'
        | 'alerts:write'
        | 'incidents:write'
        | 'notifications:write'
        | 'channels:write'
        | 'dashboards:read'
        | 'dashboards:write'
        | 'reports:read'
        | 'system:read'
      )[];
    };
    AuditEntry: {
      id: number;
      /** Format: date-time */
      occurredAt: string;
      actorId: string | null;
      actorEmail: string | null;
      action: string;
      targetType: string | null;
      targetId: string | null;
      before: unknown;
      after: unknown;
      ip: string | null;
      requestId: string | null;
      hash: string;
      prevHash: string;
    };
    AuditVerification: {
      intact: boolean;
      checked: number;
      firstBrokenId: number | null;
      reason: ('content_changed' | 'chain_broken') | null;
    };
    EnrollmentToken: {
      /** Format: uuid */
      id: string;
      name: string;
      labels: {
        [key: string]: string;
      };
      maxUses: number;
      uses: number;
      requiresApproval: boolean;
      /** Format: date-time */
      expiresAt: string;
      /** @enum {string} */
      status: 'active' | 'expired' | 'used_up' | 'revoked';
      createdBy: string | null;
      /** Format: date-time */
      createdAt: string;
    };
    AgentInstall: {
      image: string;
      serverUrl: string;
      token: string;
      dockerRun: string;
      compose: string;
    };
    Agent: {
      /** Format: uuid */
      id: string;
      name: string;
      labels: {
        [key: string]: string;
      };
      /** @enum {string} */
      status: 'pending' | 'online' | 'offline' | 'revoked';
      host: {
        [key: string]: unknown;
      };
      intervalS: number;
      lastSeenAt: string | null;
      lastSeq: number;
      droppedBatches: number;
      approvedAt: string | null;
      rotateCredential: boolean;
      enrollmentTokenId: string | null;
      /** @description What the agent last said about its container engine; nulls until it reports one */
      containers: {
        engine: {
          [key: string]: unknown;
        } | null;
        actionsEnabled: boolean | null;
        reportedAt: string | null;
      };
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
      deletedAt: string | null;
    };
    Probe: {
      /** Format: uuid */
      id: string;
      name: string;
      /** @enum {string} */
      type: 'http' | 'tcp' | 'icmp' | 'sql' | 'dns' | 'tls';
      /** @description Without secrets */
      config: {
        [key: string]: unknown;
      };
      /** @description Names of secret fields that have a stored value */
      secretsSet: string[];
      intervalS: number;
      timeoutMs: number;
      retries: number;
      agentId: string | null;
      labels: {
        [key: string]: string;
      } | null;
      paused: boolean;
      /** @enum {string} */
      state: 'up' | 'down' | 'degraded' | 'pending' | 'paused';
      agents: {
        /** Format: uuid */
        agentId: string;
        /** @enum {string} */
        state: 'up' | 'down' | 'degraded' | 'pending' | 'paused';
        consecutiveFailures: number;
        /** Format: date-time */
        since: string;
        lastResultAt: string | null;
        lastLatencyMs: number | null;
        lastMessage: string | null;
      }[];
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    CreateProbe:
      | {
          name: string;
          /** @default 60 */
          intervalS: number;
          /** @default 10000 */
          timeoutMs: number;
          /**
           * @description Failures in a row before the probe is down
           * @default 0
           */
          retries: number;
          /** @default false */
          paused: boolean;
          /**
           * Format: uuid
           * @description Run on this agent …
           */
          agentId?: string;
          /** @description … or on every agent whose labels contain these */
          labels?: {
            [key: string]: string;
          };
          /** @constant */
          type: 'http';
          config: {
            /** Format: uri */
            url: string;
            /**
             * @default GET
             * @enum {string}
             */
            method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
            /** @default {} */
            headers: {
              [key: string]: string;
            };
            body?: string;
            /** @default 200-399 */
            expectStatus: string;
            /** @description Must appear in the body */
            keyword?: string;
            /** @description Must not appear in the body */
            keywordAbsent?: string;
            jsonPath?: string;
            jsonEquals?: string | number | boolean | null;
            /** @default true */
            followRedirects: boolean;
            /** @default false */
            ignoreTlsErrors: boolean;
            /** @description Slower than this is degraded */
            degradedAboveMs?: number;
          };
        }
      | {
          name: string;
          /** @default 60 */
          intervalS: number;
          /** @default 10000 */
          timeoutMs: number;
          /**
           * @description Failures in a row before the probe is down
           * @default 0
           */
          retries: number;
          /** @default false */
          paused: boolean;
          /**
           * Format: uuid
           * @description Run on this agent …
           */
          agentId?: string;
          /** @description … or on every agent whose labels contain these */
          labels?: {
            [key: string]: string;
          };
          /** @constant */
          type: 'tcp';
          config: {
            host: string;
            port: number;
            /** @description Slower than this is degraded */
            degradedAboveMs?: number;
          };
        }
      | {
          name: string;
          /** @default 60 */
          intervalS: number;
          /** @default 10000 */
          timeoutMs: number;
          /**
           * @description Failures in a row before the probe is down
           * @default 0
           */
          retries: number;
          /** @default false */
          paused: boolean;
          /**
           * Format: uuid
           * @description Run on this agent …
           */
          agentId?: string;
          /** @description … or on every agent whose labels contain these */
          labels?: {
            [key: string]: string;
          };
          /** @constant */
          type: 'icmp';
          config: {
            host: string;
            /** @default 3 */
            count: number;
            /**
             * @description Loss above this (but not 100%) is degraded
             * @default 0
             */
            degradedLossPercent: number;
            /** @description Slower than this is degraded */
            degradedAboveMs?: number;
          };
        }
      | {
          name: string;
          /** @default 60 */
          intervalS: number;
          /** @default 10000 */
          timeoutMs: number;
          /**
           * @description Failures in a row before the probe is down
           * @default 0
           */
          retries: number;
          /** @default false */
          paused: boolean;
          /**
           * Format: uuid
           * @description Run on this agent …
           */
          agentId?: string;
          /** @description … or on every agent whose labels contain these */
          labels?: {
            [key: string]: string;
          };
          /** @constant */
          type: 'sql';
          config: {
            /** @enum {string} */
            engine: 'postgres' | 'mysql';
            host: string;
            port?: number;
            database?: string;
            user: string;
            password?: string;
            /** @default SELECT 1 */
            query: string;
            /** @description The first column of the first row, as text */
            expectFirstValue?: string;
            /** @default false */
            tls: boolean;
            /** @description Slower than this is degraded */
            degradedAboveMs?: number;
          };
        }
      | {
          name: string;
          /** @default 60 */
          intervalS: number;
          /** @default 10000 */
          timeoutMs: number;
          /**
           * @description Failures in a row before the probe is down
           * @default 0
           */
          retries: number;
          /** @default false */
          paused: boolean;
          /**
           * Format: uuid
           * @description Run on this agent …
           */
          agentId?: string;
          /** @description … or on every agent whose labels contain these */
          labels?: {
            [key: string]: string;
          };
          /** @constant */
          type: 'dns';
          config: {
            name: string;
            /**
             * @default A
             * @enum {string}
             */
            recordType: 'A' | 'AAAA' | 'CNAME' | 'MX' | 'TXT';
            /** @description Resolver address; the system resolver when unset */
            server?: string;
            port?: number;
            /** @description One of the answers must equal this */
            expect?: string;
            /** @description Slower than this is degraded */
            degradedAboveMs?: number;
          };
        }
      | {
          name: string;
          /** @default 60 */
          intervalS: number;
          /** @default 10000 */
          timeoutMs: number;
          /**
           * @description Failures in a row before the probe is down
           * @default 0
           */
          retries: number;
          /** @default false */
          paused: boolean;
          /**
           * Format: uuid
           * @description Run on this agent …
           */
          agentId?: string;
          /** @description … or on every agent whose labels contain these */
          labels?: {
            [key: string]: string;
          };
          /** @constant */
          type: 'tls';
          config: {
            host: string;
            /** @default 443 */
            port: number;
            servername?: string;
            /**
             * @description Fewer days left is degraded
             * @default 14
             */
            minDaysLeft: number;
            /**
             * @description Report expiry even for certificates no CA vouches for
             * @default false
             */
            allowUntrusted: boolean;
          };
        };
    /** @description The rule's fields as created, with its kind's targets */
    AlertRule: {
      /** Format: uuid */
      id: string;
      /** @enum {string} */
      kind:
        | 'probe_down'
        | 'probe_degraded'
        | 'agent_offline'
        | 'container_exited'
        | 'container_unhealthy'
        | 'container_restarting'
        | 'metric_threshold'
        | 'tls_expiry';
      name: string;
      /** @enum {string} */
      severity: 'critical' | 'warning' | 'info';
      forS: number;
      channelIds: string[];
      repeatIntervalS: number;
      notifyOnResolve: boolean;
      enabled: boolean;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    } & {
      [key: string]: unknown;
    };
    IncidentView: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      ruleId: string;
      ruleName: string;
      subject: string;
      /** @enum {string} */
      status: 'open' | 'acknowledged' | 'resolved';
      /** @enum {string} */
      severity: 'critical' | 'warning' | 'info';
      title: string;
      summary: string;
      /** Format: date-time */
      openedAt: string;
      acknowledgedAt: string | null;
      acknowledgedBy: string | null;
      resolvedAt: string | null;
      resolvedBy: string | null;
      assigneeId: string | null;
      lastNotifiedAt: string | null;
      reopenCount: number;
      /** Format: date-time */
      updatedAt: string;
      assigneeName: string | null;
      /** @description null for a subject eMMA does not know */
      target: components['schemas']['IncidentTarget'] | null;
    };
    IncidentTarget: {
      /** @enum {string} */
      kind: 'agent' | 'probe' | 'container' | 'series';
      /** @description The agent, probe or container id; the series number */
      id: string;
      /** @description Its name (a series: metric{labels}); null when it no longer exists */
      name: string | null;
      /** @description The host it is on: the agent itself, a container's or a series' agent; null for a probe */
      agentId: string | null;
      agentName: string | null;
    };
    IncidentDetail: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      ruleId: string;
      ruleName: string;
      subject: string;
      /** @enum {string} */
      status: 'open' | 'acknowledged' | 'resolved';
      /** @enum {string} */
      severity: 'critical' | 'warning' | 'info';
      title: string;
      summary: string;
      /** Format: date-time */
      openedAt: string;
      acknowledgedAt: string | null;
      acknowledgedBy: string | null;
      resolvedAt: string | null;
      resolvedBy: string | null;
      assigneeId: string | null;
      lastNotifiedAt: string | null;
      reopenCount: number;
      /** Format: date-time */
      updatedAt: string;
      assigneeName: string | null;
      /** @description null for a subject eMMA does not know */
      target: components['schemas']['IncidentTarget'] | null;
      history: {
        id: number;
        /** @enum {string} */
        kind:
          | 'opened'
          | 'reopened'
          | 'acknowledged'
          | 'commented'
          | 'assigned'
          | 'resolved'
          | 'notified'
          | 'held';
        actorId: string | null;
        actorEmail: string | null;
        comment: string | null;
        details: {
          [key: string]: unknown;
        };
        /** Format: date-time */
        occurredAt: string;
      }[];
    };
    MaintenanceWindow: {
      /** Format: uuid */
      id: string;
      name: string;
      reason: string;
      agentId: string | null;
      probeId: string | null;
      containerId: string | null;
      labels: {
        [key: string]: string;
      } | null;
      startsAt: string | null;
      endsAt: string | null;
      cron: string | null;
      durationS: number | null;
      /** @description In effect now */
      active: boolean;
      createdBy: string | null;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    NotificationChannel: {
      /** Format: uuid */
      id: string;
      name: string;
      /** @enum {string} */
      type: 'email' | 'slack' | 'teams' | 'webhook' | 'pagerduty' | 'telegram' | 'ntfy';
      enabled: boolean;
      /** @description Without secrets */
      config: {
        [key: string]: unknown;
      };
      /** @description Names of secret fields that have a stored value */
      secretsSet: string[];
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    NotificationDeliveryDetail: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      channelId: string;
      channelName: string | null;
      incidentId: string | null;
      /** @enum {string} */
      event: 'opened' | 'repeat' | 'acknowledged' | 'resolved' | 'test';
      severity: ('critical' | 'warning' | 'info') | null;
      title: string | null;
      /** @enum {string} */
      status: 'pending' | 'sending' | 'succeeded' | 'failed';
      /** @description Attempts started so far */
      attempts: number;
      /** @description When pending: the next try */
      nextAttemptAt: string | null;
      lastError: string | null;
      lastStatusCode: number | null;
      sentAt: string | null;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
      message: {
        [key: string]: unknown;
      };
      attemptLog: {
        attempt: number;
        /** Format: date-time */
        startedAt: string;
        durationMs: number;
        ok: boolean;
        statusCode: number | null;
        error: string | null;
      }[];
    };
    NotificationDelivery: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      channelId: string;
      channelName: string | null;
      incidentId: string | null;
      /** @enum {string} */
      event: 'opened' | 'repeat' | 'acknowledged' | 'resolved' | 'test';
      severity: ('critical' | 'warning' | 'info') | null;
      title: string | null;
      /** @enum {string} */
      status: 'pending' | 'sending' | 'succeeded' | 'failed';
      /** @description Attempts started so far */
      attempts: number;
      /** @description When pending: the next try */
      nextAttemptAt: string | null;
      lastError: string | null;
      lastStatusCode: number | null;
      sentAt: string | null;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    Container: {
      /**
       * Format: uuid
       * @description eMMA id of the container
       */
      id: string;
      /** @description The engine's id (64 hex digits) */
      containerId: string;
      agent: {
        /** Format: uuid */
        id: string;
        name: string;
        /** @enum {string} */
        status: 'pending' | 'online' | 'offline' | 'revoked';
      };
      name: string;
      image: string;
      labels: {
        [key: string]: string;
      };
      /** @enum {string} */
      state: 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
      /** @enum {string} */
      health: 'none' | 'starting' | 'healthy' | 'unhealthy';
      exitCode: number | null;
      restartCount: number;
      ports: {
        privatePort: number;
        publicPort?: number;
        type: string;
        ip?: string;
      }[];
      /** @description When the engine created the container */
      createdAt: string | null;
      startedAt: string | null;
      finishedAt: string | null;
      /**
       * Format: date-time
       * @description Since when state and health have been what they are
       */
      stateSince: string;
      /** @description The newest stats, null before the first */
      stats: {
        cpuPercent: number | null;
        memUsedBytes: number;
        memLimitBytes: number | null;
        netRxBytesPerS: number | null;
        netTxBytesPerS: number | null;
        blockReadBytesPerS: number | null;
        blockWriteBytesPerS: number | null;
        pids: number | null;
      } | null;
      statsAt: string | null;
      /** @description When a report of the agent no longer listed it */
      removedAt: string | null;
      /** @description Start/stop/restart would be accepted: the agent allows actions, is neither pending nor revoked, and the container is not removed */
      actionsEnabled: boolean;
    };
    ContainerAction: {
      /** Format: uuid */
      id: string;
      container: {
        /** Format: uuid */
        id: string;
        containerId: string;
        name: string;
      };
      /** Format: uuid */
      agentId: string;
      /** @enum {string} */
      action: 'start' | 'stop' | 'restart';
      /** @enum {string} */
      status: 'queued' | 'running' | 'succeeded' | 'failed' | 'expired';
      stopTimeoutS: number;
      requestedBy: {
        /** Format: uuid */
        id: string;
        email: string;
        name: string;
      } | null;
      /** Format: date-time */
      requestedAt: string;
      /** Format: date-time */
      expiresAt: string;
      /** @description When the agent took it */
      takenAt: string | null;
      finishedAt: string | null;
      message: string | null;
    };
    Overview: {
      /** @description Agents that are not deleted (revoked ones included, as in the agent list) */
      agents: {
        total: number;
        byStatus: {
          pending: number;
          online: number;
          offline: number;
          revoked: number;
        };
      };
      /** @description Probes that are not deleted */
      probes: {
        total: number;
        /** @description Each probe counted once, by its state as the probe list shows it: `paused` when paused, else the worst of the agents that run it now, `pending` before any result */
        byState: {
          up: number;
          down: number;
          degraded: number;
          pending: number;
          paused: number;
        };
        /** @description Paused probes (the same as byState.paused) */
        paused: number;
      };
      /** @description Containers not removed, on agents that are not deleted (as the container list shows them) */
      containers: {
        total: number;
        byState: {
          created: number;
          running: number;
          paused: number;
          restarting: number;
          removing: number;
          exited: number;
          dead: number;
        };
        byHealth: {
          none: number;
          starting: number;
          healthy: number;
          unhealthy: number;
        };
      };
      /** @description Incidents not resolved */
      incidents: {
        open: number;
        acknowledged: number;
        /** @description Open and acknowledged incidents together */
        bySeverity: {
          critical: number;
          warning: number;
          info: number;
        };
      };
      /** Format: date-time */
      generatedAt: string;
    };
    DashboardSummary: {
      /** Format: uuid */
      id: string;
      name: string;
      description: string;
      owner: components['schemas']['DashboardOwner'];
      /** @description The caller owns it (and may change it) */
      mine: boolean;
      /** @description Other users may read it */
      shared: boolean;
      widgetCount: number;
      createdAt: string;
      updatedAt: string;
    };
    DashboardOwner: {
      /** Format: uuid */
      id: string;
      name: string;
      email: string;
    };
    Dashboard: {
      /** Format: uuid */
      id: string;
      name: string;
      description: string;
      owner: components['schemas']['DashboardOwner'];
      /** @description The caller owns it (and may change it) */
      mine: boolean;
      /** @description Other users may read it */
      shared: boolean;
      widgetCount: number;
      createdAt: string;
      updatedAt: string;
      widgets: components['schemas']['Widget'][];
    };
    Widget:
      | components['schemas']['ChartWidget']
      | components['schemas']['StatusWidget']
      | components['schemas']['IncidentsWidget'];
    ChartWidget: {
      /** @description Chosen by the client; unique within the dashboard */
      id: string;
      /** @default  */
      title: string;
      /** @description Column, 0..11 */
      x: number;
      /** @description Row */
      y: number;
      /** @description Width in columns, 1..12 */
      w: number;
      /** @description Height in rows, 1..4 */
      h: number;
      /** @constant */
      type: 'chart';
      query: {
        metric: string[];
        /** Format: uuid */
        agent?: string;
        /** @description Agents with all these labels */
        agentLabels?: {
          [key: string]: string;
        };
        /** @description Only series with this label, as key=value */
        label?: string;
        /** @enum {string} */
        range: '1h' | '6h' | '24h' | '7d' | '30d' | '90d' | '1y';
        /** @enum {string} */
        agg?: 'avg' | 'min' | 'max' | 'last';
      };
    };
    StatusWidget: {
      /** @description Chosen by the client; unique within the dashboard */
      id: string;
      /** @default  */
      title: string;
      /** @description Column, 0..11 */
      x: number;
      /** @description Row */
      y: number;
      /** @description Width in columns, 1..12 */
      w: number;
      /** @description Height in rows, 1..4 */
      h: number;
      /** @constant */
      type: 'status';
      selector: {
        /** @enum {string} */
        kind: 'agents' | 'probes' | 'containers';
        labels?: {
          [key: string]: string;
        };
        /** @description Finds this text in the name */
        q?: string;
      };
    };
    IncidentsWidget: {
      /** @description Chosen by the client; unique within the dashboard */
      id: string;
      /** @default  */
      title: string;
      /** @description Column, 0..11 */
      x: number;
      /** @description Row */
      y: number;
      /** @description Width in columns, 1..12 */
      w: number;
      /** @description Height in rows, 1..4 */
      h: number;
      /** @constant */
      type: 'incidents';
      status?: ('open' | 'acknowledged' | 'resolved')[];
      severity?: ('critical' | 'warning' | 'info')[];
      limit: number;
    };
    CreateDashboard: {
      name: string;
      /** @default  */
      description: string;
      /** @default false */
      shared: boolean;
      /** @default [] */
      widgets: components['schemas']['Widget'][];
    };
    UpdateDashboard: {
      name?: string;
      description?: string;
      shared?: boolean;
      /** @description Replaces all widgets */
      widgets?: components['schemas']['Widget'][];
    };
    UptimeReport: {
      /**
       * Format: date-time
       * @description The start actually used: `from` rounded down to the minute (to the hour on the 1 h tier)
       */
      from: string;
      /**
       * Format: date-time
       * @description The end actually used: `to` rounded up to the minute
       */
      to: string;
      /** @enum {string} */
      group: 'probe' | 'agent' | 'label';
      /** @description The label key grouped by (group=label) */
      label: string | null;
      /** Format: date-time */
      generatedAt: string;
      /** @description Over every probe-agent pair in the report */
      totals: {
        probeCount: number;
        /** @description (up + degraded) / checks × 100 over the checks outside maintenance; null without checks */
        availabilityPct: number | null;
        /** @description Checks outside maintenance */
        checks: number;
        /** @description Checks outside maintenance that were down */
        downChecks: number;
        /** @description Σ over the buckets outside maintenance of (down checks / checks in the bucket) × the bucket length (1 minute; 1 hour on the hour tier), over all the probe-agent pairs of the item in that bucket */
        downtimeMinutes: number;
        /** @description Minutes of the range excluded because a maintenance window covered at least one of the probe-agent pairs of the item (whole buckets: a bucket that overlaps an occurrence is excluded) */
        maintenanceMinutes: number;
        /** @description Incidents about the probe(s) or agent(s) of the item opened within [from, to) */
        incidents: number;
        /** @description Mean time to resolve of those incidents that are resolved, in seconds; null when none is */
        mttrS: number | null;
        /** @description 95th percentile latency of the checks that were not down */
        latencyP95Ms: number | null;
        /**
         * @description 'raw': the exact 95th percentile of the latencies of the checks that were not down (the whole range is within raw retention); 'rollup': the check-weighted mean of the per-bucket p95s.
         * @enum {string}
         */
        latencyP95Source: 'raw' | 'rollup';
      };
      /** @description Sorted by name, then key */
      items: components['schemas']['UptimeReportItem'][];
    };
    UptimeReportItem: {
      /** @description The probe id, the agent id, or the label's value ('' for agents without the label) */
      key: string;
      /** @description The probe or agent name, or the label as key=value */
      name: string;
      /** @description Probes in the group (group=agent or label) */
      probeCount?: number;
      /** @description (up + degraded) / checks × 100 over the checks outside maintenance; null without checks */
      availabilityPct: number | null;
      /** @description Checks outside maintenance */
      checks: number;
      /** @description Checks outside maintenance that were down */
      downChecks: number;
      /** @description Σ over the buckets outside maintenance of (down checks / checks in the bucket) × the bucket length (1 minute; 1 hour on the hour tier), over all the probe-agent pairs of the item in that bucket */
      downtimeMinutes: number;
      /** @description Minutes of the range excluded because a maintenance window covered at least one of the probe-agent pairs of the item (whole buckets: a bucket that overlaps an occurrence is excluded) */
      maintenanceMinutes: number;
      /** @description Incidents about the probe(s) or agent(s) of the item opened within [from, to) */
      incidents: number;
      /** @description Mean time to resolve of those incidents that are resolved, in seconds; null when none is */
      mttrS: number | null;
      /** @description 95th percentile latency of the checks that were not down */
      latencyP95Ms: number | null;
      /**
       * @description 'raw': the exact 95th percentile of the latencies of the checks that were not down (the whole range is within raw retention); 'rollup': the check-weighted mean of the per-bucket p95s.
       * @enum {string}
       */
      latencyP95Source: 'raw' | 'rollup';
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  getHealth: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Alive */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @constant */
            status: 'ok';
            uptimeS: number;
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getReady: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Ready to serve */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            status: 'ready';
            /** @constant */
            database: 'ok';
            pendingMigrations: string[];
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Database unreachable or migrations pending */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getMetrics: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Prometheus text format */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/plain': unknown;
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getOpenapiJson: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description OpenAPI document */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': unknown;
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiDocs: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description HTML page */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': unknown;
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getApiDocsByAsset: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        asset: 'swagger-ui.css' | 'swagger-ui-bundle.js' | 'init.js';
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The file */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/octet-stream': unknown;
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAuthLogin: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          email: string;
          password: string;
        };
      };
    };
    responses: {
      /** @description Logged in */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TokenPair'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Invalid email or password */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Too many failed logins; see Retry-After */
      429: {
        headers: {
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAuthRefresh: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          refreshToken: string;
        };
      };
    };
    responses: {
      /** @description A new token pair */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TokenPair'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The refresh token is invalid, expired, used or revoked */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAuthLogout: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Logged out */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAuthMe: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Current user */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Me'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAuthWsTicket: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A ticket and where to use it */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WsTicket'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAuthPassword: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          currentPassword: string;
          newPassword: string;
        };
      };
    };
    responses: {
      /** @description Password changed */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Current password incorrect or new password too weak */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description New password equals the current one */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Too many failed attempts */
      429: {
        headers: {
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getUsers: {
    parameters: {
      query?: {
        /** @description Search in email and name */
        q?: string;
        role?: 'admin' | 'operator' | 'viewer';
        /** @description 'all' means every live user */
        status?: 'active' | 'disabled' | 'deleted' | 'all';
        limit?: number;
        offset?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of users */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['User'][];
            total: number;
            limit: number;
            offset: number;
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postUsers: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** Format: email */
          email: string;
          name: string;
          /** @enum {string} */
          role: 'admin' | 'operator' | 'viewer';
          /** @description Omit to have eMMA generate one, returned once */
          password?: string;
        };
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            user: components['schemas']['User'];
            /** @description Only when eMMA generated the password; shown once */
            temporaryPassword?: string;
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Email already in use */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getUsersById: {
    parameters: {
      query?: {
        includeDeleted?: 'true' | 'false';
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The user */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['User'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such user */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteUsersById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such user */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Last admin, or your own account */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  patchUsersById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** Format: email */
          email?: string;
          name?: string;
          /** @enum {string} */
          role?: 'admin' | 'operator' | 'viewer';
          disabled?: boolean;
          /** @description Reset: the user must change it at next login */
          password?: string;
        };
      };
    };
    responses: {
      /** @description The changed user */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['User'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such user */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Last admin, or email already in use */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getRoles: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Every role */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['Role'][];
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAudit: {
    parameters: {
      query?: {
        actorId?: string;
        action?: string;
        targetType?: string;
        targetId?: string;
        from?: string;
        to?: string;
        /** @description Cursor: only entries with a smaller id */
        before?: number;
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of audit entries */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['AuditEntry'][];
            /** @description Pass as `before` to read the next (older) page */
            nextCursor: number | null;
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAuditVerify: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Whether every row is unchanged and linked to the one before it */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AuditVerification'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not an admin */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getEnrollmentTokens: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Tokens */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['EnrollmentToken'][];
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postEnrollmentTokens: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          name: string;
          /**
           * @description Lifetime in seconds (default one day)
           * @default 86400
           */
          expiresInS?: number;
          /**
           * @description 1 for one host, N for a fleet rollout
           * @default 1
           */
          maxUses?: number;
          /**
           * @description Given to every agent that enrols with this token
           * @default {}
           */
          labels?: {
            [key: string]: string;
          };
          /**
           * @description Agents wait as pending until an operator approves them
           * @default false
           */
          requiresApproval?: boolean;
        };
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            enrollmentToken: components['schemas']['EnrollmentToken'];
            /** @description The enrolment token itself */
            token: string;
            install: components['schemas']['AgentInstall'];
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteEnrollmentTokensById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Revoked */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such token */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getEnrollmentTokensByIdInstall: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Install commands */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AgentInstall'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such token */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The token is expired, used up or revoked, or its secret cannot be rebuilt (the server secret changed, or it is the EMMA_AGENT_ENROLL_TOKEN token) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAgentsEnroll: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          token: string;
          host: {
            hostname: string;
            os: string;
            arch: string;
            kernel?: string;
            cpus: number;
            memTotalBytes: number;
            agentVersion: string;
            machineId?: string;
          };
          name?: string;
        };
      };
    };
    responses: {
      /** @description Enrolled */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** Format: uuid */
            agentId: string;
            credential: string;
            /** @enum {string} */
            status: 'pending' | 'online' | 'offline' | 'revoked';
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Token invalid, expired, used up or revoked (error.code says which) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAgentsSelfConfig: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Configuration */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** Format: uuid */
            agentId: string;
            /** @enum {string} */
            status: 'pending' | 'online' | 'offline' | 'revoked';
            intervalS: number;
            heartbeatS: number;
            maxBatchSamples: number;
            rotateCredential: boolean;
            /** @default [] */
            probes: (
              | {
                  /** Format: uuid */
                  id: string;
                  name: string;
                  intervalS: number;
                  timeoutMs: number;
                  /** @constant */
                  type: 'http';
                  config: {
                    /** Format: uri */
                    url: string;
                    /**
                     * @default GET
                     * @enum {string}
                     */
                    method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
                    /** @default {} */
                    headers: {
                      [key: string]: string;
                    };
                    body?: string;
                    /** @default 200-399 */
                    expectStatus: string;
                    /** @description Must appear in the body */
                    keyword?: string;
                    /** @description Must not appear in the body */
                    keywordAbsent?: string;
                    jsonPath?: string;
                    jsonEquals?: string | number | boolean | null;
                    /** @default true */
                    followRedirects: boolean;
                    /** @default false */
                    ignoreTlsErrors: boolean;
                    /** @description Slower than this is degraded */
                    degradedAboveMs?: number;
                  };
                }
              | {
                  /** Format: uuid */
                  id: string;
                  name: string;
                  intervalS: number;
                  timeoutMs: number;
                  /** @constant */
                  type: 'tcp';
                  config: {
                    host: string;
                    port: number;
                    /** @description Slower than this is degraded */
                    degradedAboveMs?: number;
                  };
                }
              | {
                  /** Format: uuid */
                  id: string;
                  name: string;
                  intervalS: number;
                  timeoutMs: number;
                  /** @constant */
                  type: 'icmp';
                  config: {
                    host: string;
                    /** @default 3 */
                    count: number;
                    /**
                     * @description Loss above this (but not 100%) is degraded
                     * @default 0
                     */
                    degradedLossPercent: number;
                    /** @description Slower than this is degraded */
                    degradedAboveMs?: number;
                  };
                }
              | {
                  /** Format: uuid */
                  id: string;
                  name: string;
                  intervalS: number;
                  timeoutMs: number;
                  /** @constant */
                  type: 'sql';
                  config: {
                    /** @enum {string} */
                    engine: 'postgres' | 'mysql';
                    host: string;
                    port?: number;
                    database?: string;
                    user: string;
                    password?: string;
                    /** @default SELECT 1 */
                    query: string;
                    /** @description The first column of the first row, as text */
                    expectFirstValue?: string;
                    /** @default false */
                    tls: boolean;
                    /** @description Slower than this is degraded */
                    degradedAboveMs?: number;
                  };
                }
              | {
                  /** Format: uuid */
                  id: string;
                  name: string;
                  intervalS: number;
                  timeoutMs: number;
                  /** @constant */
                  type: 'dns';
                  config: {
                    name: string;
                    /**
                     * @default A
                     * @enum {string}
                     */
                    recordType: 'A' | 'AAAA' | 'CNAME' | 'MX' | 'TXT';
                    /** @description Resolver address; the system resolver when unset */
                    server?: string;
                    port?: number;
                    /** @description One of the answers must equal this */
                    expect?: string;
                    /** @description Slower than this is degraded */
                    degradedAboveMs?: number;
                  };
                }
              | {
                  /** Format: uuid */
                  id: string;
                  name: string;
                  intervalS: number;
                  timeoutMs: number;
                  /** @constant */
                  type: 'tls';
                  config: {
                    host: string;
                    /** @default 443 */
                    port: number;
                    servername?: string;
                    /**
                     * @description Fewer days left is degraded
                     * @default 14
                     */
                    minDaysLeft: number;
                    /**
                     * @description Report expiry even for certificates no CA vouches for
                     * @default false
                     */
                    allowUntrusted: boolean;
                  };
                }
            )[];
          };
        };
      };
      /** @description Unchanged since the ETag sent */
      304: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAgentsSelfCredential: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The new credential */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** Format: uuid */
            agentId: string;
            credential: string;
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAgents: {
    parameters: {
      query?: {
        status?: 'pending' | 'online' | 'offline' | 'revoked';
        /** @description Search in name and hostname */
        q?: string;
        /** @description Only agents carrying this label, as key=value */
        label?: string;
        limit?: number;
        offset?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of agents */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['Agent'][];
            total: number;
            limit: number;
            offset: number;
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAgentsById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The agent */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Agent'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such agent */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteAgentsById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such agent */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  patchAgentsById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          name?: string;
          labels?: {
            [key: string]: string;
          };
          /**
           * @description Approve a pending agent
           * @constant
           */
          approved?: true;
          intervalS?: number;
        };
      };
    };
    responses: {
      /** @description The changed agent */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Agent'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such agent */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Approving an agent that is not pending */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAgentsByIdRevoke: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The revoked agent */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Agent'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such agent */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAgentsByIdRotateCredential: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The agent, with rotateCredential set */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Agent'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such agent */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The agent is revoked */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAgentsByIdEvents: {
    parameters: {
      query?: {
        limit?: number;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Events, newest first */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              id: number;
              kind: string;
              details: unknown;
              /** Format: date-time */
              occurredAt: string;
            }[];
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postIngest: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          seq: number;
          sentAt: number;
          /** @default 0 */
          droppedBatches?: number;
          /** @default [] */
          series?: {
            metric: string;
            labels?: {
              [key: string]: string;
            };
            /** @description [unix ms (integer ≥ 0), finite number] pairs, at least one */
            points: [number, number][];
          }[];
          /** @default [] */
          probeResults?: {
            /** @enum {string} */
            status: 'up' | 'down' | 'degraded';
            latencyMs: number | null;
            message: string;
            details?: {
              [key: string]: unknown;
            };
            /** Format: uuid */
            probeId: string;
            ts: number;
          }[];
          containers?: {
            at: number;
            full: boolean;
            actionsEnabled: boolean;
            engine?: {
              name: string;
              version: string;
              apiVersion?: string;
            };
            /** @default [] */
            containers?: {
              id: string;
              name: string;
              image: string;
              imageId?: string;
              command?: string;
              /** @default {} */
              labels?: {
                [key: string]: string;
              };
              /** @enum {string} */
              state: 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
              /**
               * @default none
               * @enum {string}
               */
              health?: 'none' | 'starting' | 'healthy' | 'unhealthy';
              /** @default null */
              exitCode?: number | null;
              /** @default 0 */
              restartCount?: number;
              /** @default [] */
              ports?: {
                privatePort: number;
                publicPort?: number;
                type: string;
                ip?: string;
              }[];
              /** @default null */
              createdAt?: number | null;
              /** @default null */
              startedAt?: number | null;
              /** @default null */
              finishedAt?: number | null;
            }[];
            /** @default [] */
            removed?: string[];
          };
          /** @default [] */
          containerEvents?: {
            id: string;
            ts: number;
            action: string;
            exitCode?: number;
            message?: string;
          }[];
          /** @default [] */
          containerStats?: {
            id: string;
            ts: number;
            cpuPercent: number | null;
            memUsedBytes: number;
            memLimitBytes: number | null;
            netRxBytesPerS: number | null;
            netTxBytesPerS: number | null;
            blockReadBytesPerS: number | null;
            blockWriteBytesPerS: number | null;
            pids: number | null;
          }[];
        };
      };
    };
    responses: {
      /** @description Stored (or recognised as a replay) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            accepted: boolean;
            duplicate: boolean;
            samples: number;
            /** @description Points outside the retention window or too far in the future */
            rejectedSamples: number;
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The agent waits for approval (agent_pending) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Body or sample count over the limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The batch does not match the schema */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Batches arrive too fast; see Retry-After */
      429: {
        headers: {
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAgentsByIdMetricsLatest: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Latest values */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** Format: uuid */
            agentId: string;
            items: {
              metric: string;
              labels: {
                [key: string]: string;
              };
              /** Format: date-time */
              ts: string;
              value: number;
            }[];
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such agent */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getMetricsLatest: {
    parameters: {
      query: {
        /** @description Comma list of up to 100 agent ids */
        agents: string;
        /** @description Comma list of up to 20 metric names, e.g. cpu.percent,mem.used.bytes */
        metrics: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Latest values */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description One item per series of a listed agent that is not deleted and has a value */
            items: {
              metric: string;
              labels: {
                [key: string]: string;
              };
              /** Format: date-time */
              ts: string;
              value: number;
              /** Format: uuid */
              agentId: string;
            }[];
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getSeriesQuery: {
    parameters: {
      query: {
        /** @description One agent; or select agents by `agentLabel` */
        agent?: string;
        /** @description Agents whose labels include all of these key=value pairs (comma list), e.g. env=prod,site=berlin */
        agentLabel?: string;
        /** @description A metric name, or a comma list of up to 20 (e.g. mem.used.bytes,mem.total.bytes) */
        metric: string;
        /** @description Only series with this label, as key=value */
        label?: string;
        /** @description What a bucket's point is: avg (default), min, max, last or count of the samples in it */
        agg?: 'avg' | 'min' | 'max' | 'last' | 'count';
        /** @description Default: one hour before `to` */
        from?: string;
        /** @description Default: now */
        to?: string;
        /** @description Resolution in seconds: each point stands for one bucket of this width (aligned to the unix epoch), at the bucket start. Without it the server picks one from the range: raw samples for short ranges, else the smallest round step that keeps each series within `maxPoints`. A step is raised to that minimum too, and to a whole number of the tier's buckets (minutes or hours); the answer says what it used. */
        step?: number;
        /** @description Most points per series (default and limit 2000); e.g. the chart's width in pixels */
        maxPoints?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Series with their points */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
            /**
             * @description raw: samples as stored; 1m / 1h: the 1-minute or 1-hour rollups (and the newest raw samples)
             * @enum {string}
             */
            tier: 'raw' | '1m' | '1h';
            /** @description The bucket width in seconds; null: raw samples */
            stepS: number | null;
            series: {
              /** Format: uuid */
              agentId: string;
              metric: string;
              labels: {
                [key: string]: string;
              };
              /** @description [unix ms, value], oldest first */
              points: [number, number][];
              /** @description More than `maxPoints` points: the oldest were left out */
              truncated: boolean;
            }[];
            /** @description More than 200 series matched: only the first were read */
            seriesLimited: boolean;
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getProbes: {
    parameters: {
      query?: {
        type?: 'http' | 'tcp' | 'icmp' | 'sql' | 'dns' | 'tls';
        state?: 'up' | 'down' | 'degraded' | 'pending' | 'paused';
        agentId?: string;
        q?: string;
        limit?: number;
        offset?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of probes */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['Probe'][];
            total: number;
            limit: number;
            offset: number;
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postProbes: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateProbe'];
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Probe'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The agent does not exist */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getProbesById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The probe */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Probe'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such probe */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteProbesById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such probe */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  patchProbesById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          name?: string;
          intervalS?: number;
          timeoutMs?: number;
          retries?: number;
          paused?: boolean;
          /** Format: uuid */
          agentId?: string;
          labels?: {
            [key: string]: string;
          };
          /** @description The whole config; the type's schema applies */
          config?: {
            [key: string]: unknown;
          };
        };
      };
    };
    responses: {
      /** @description The changed probe */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Probe'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such probe */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getProbesByIdResults: {
    parameters: {
      query?: {
        from?: string;
        to?: string;
        agentId?: string;
        limit?: number;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Results */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              /** Format: uuid */
              agentId: string;
              /** Format: date-time */
              ts: string;
              /** @enum {string} */
              status: 'up' | 'down' | 'degraded';
              latencyMs: number | null;
              message: string;
              details: unknown;
            }[];
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such probe */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getProbesByIdHistory: {
    parameters: {
      query?: {
        /** @description Only the checks of this agent (default: all agents running the probe) */
        agentId?: string;
        /** @description Default: one hour before `to` */
        from?: string;
        /** @description Default: now */
        to?: string;
        /** @description Resolution in seconds: each point stands for one bucket of this width (aligned to the unix epoch), at the bucket start. Without it the server picks one from the range: raw samples for short ranges, else the smallest round step that keeps each series within `maxPoints`. A step is raised to that minimum too, and to a whole number of the tier's buckets (minutes or hours); the answer says what it used. */
        step?: number;
        /** @description Most points per series (default and limit 2000); e.g. the chart's width in pixels */
        maxPoints?: number;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Buckets */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
            /**
             * @description raw: samples as stored; 1m / 1h: the 1-minute or 1-hour rollups (and the newest raw samples)
             * @enum {string}
             */
            tier: 'raw' | '1m' | '1h';
            /** @description The bucket width in seconds */
            stepS: number;
            /** @description Buckets with checks, oldest first (a bucket without checks is left out) */
            buckets: {
              /** @description Bucket start, unix ms */
              t: number;
              checks: number;
              up: number;
              degraded: number;
              down: number;
              /** @description (up + degraded) / checks × 100: a degraded check answered */
              availabilityPct: number;
              /** @description Over the checks that were not down */
              latencyAvgMs: number | null;
              latencyMinMs: number | null;
              latencyMaxMs: number | null;
              /** @description Exact for a bucket of the tier's width; above it the check-weighted mean of the buckets' p95 */
              latencyP95Ms: number | null;
            }[];
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such probe */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getProbesByIdUptime: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Uptime windows */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** Format: uuid */
            probeId: string;
            windows: {
              '24h': {
                checks: number;
                upChecks: number;
                uptimePercent: number | null;
                latencyP50Ms: number | null;
                latencyP95Ms: number | null;
                latencyP99Ms: number | null;
              };
              '7d': {
                checks: number;
                upChecks: number;
                uptimePercent: number | null;
                latencyP50Ms: number | null;
                latencyP95Ms: number | null;
                latencyP99Ms: number | null;
              };
              '30d': {
                checks: number;
                upChecks: number;
                uptimePercent: number | null;
                latencyP50Ms: number | null;
                latencyP95Ms: number | null;
                latencyP99Ms: number | null;
              };
            };
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such probe */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getProbeUptimeBars: {
    parameters: {
      query: {
        /** @description Comma list of probe ids, at most 200 (the rows a list shows) */
        ids: string;
        /** @description How far back */
        hours?: number;
        /** @description Into how many equal windows */
        buckets?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Windows per probe */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** Format: date-time */
            from: string;
            /**
             * Format: date-time
             * @description The end of the newest (still running) window
             */
            to: string;
            bucketMs: number;
            /** @description One per existing probe asked for, in the order asked; unknown or deleted ids are left out */
            items: {
              /** Format: uuid */
              probeId: string;
              /** @description Oldest first; checks 0 where the probe had no results */
              buckets: {
                checks: number;
                down: number;
                degraded: number;
              }[];
            }[];
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getProbesByIdEvents: {
    parameters: {
      query?: {
        limit?: number;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Events */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              id: number;
              agentId: string | null;
              from: string;
              to: string;
              message: string | null;
              /** Format: date-time */
              occurredAt: string;
            }[];
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such probe */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAlertRules: {
    parameters: {
      query?: {
        kind?:
          | 'probe_down'
          | 'probe_degraded'
          | 'agent_offline'
          | 'container_exited'
          | 'container_unhealthy'
          | 'container_restarting'
          | 'metric_threshold'
          | 'tls_expiry';
        limit?: number;
        offset?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of rules */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['AlertRule'][];
            total: number;
            limit: number;
            offset: number;
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAlertRules: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json':
          | {
              /** @constant */
              kind: 'probe_down';
              name: string;
              /**
               * @default warning
               * @enum {string}
               */
              severity?: 'critical' | 'warning' | 'info';
              /**
               * @description How long the condition must hold before an incident opens
               * @default 0
               */
              forS?: number;
              /** @default [] */
              channelIds?: string[];
              /**
               * @description Notify again this often while open and unacknowledged; 0 never repeats
               * @default 3600
               */
              repeatIntervalS?: number;
              /** @default true */
              notifyOnResolve?: boolean;
              /** @default true */
              enabled?: boolean;
              /**
               * Format: uuid
               * @description This probe only …
               */
              probeId?: string;
              /** @description … or probes run by agents whose labels contain these */
              labels?: {
                [key: string]: string;
              };
            }
          | {
              /** @constant */
              kind: 'probe_degraded';
              name: string;
              /**
               * @default warning
               * @enum {string}
               */
              severity?: 'critical' | 'warning' | 'info';
              /**
               * @description How long the condition must hold before an incident opens
               * @default 0
               */
              forS?: number;
              /** @default [] */
              channelIds?: string[];
              /**
               * @description Notify again this often while open and unacknowledged; 0 never repeats
               * @default 3600
               */
              repeatIntervalS?: number;
              /** @default true */
              notifyOnResolve?: boolean;
              /** @default true */
              enabled?: boolean;
              /**
               * Format: uuid
               * @description This probe only …
               */
              probeId?: string;
              /** @description … or probes run by agents whose labels contain these */
              labels?: {
                [key: string]: string;
              };
            }
          | {
              /** @constant */
              kind: 'agent_offline';
              name: string;
              /**
               * @default warning
               * @enum {string}
               */
              severity?: 'critical' | 'warning' | 'info';
              /**
               * @description How long the condition must hold before an incident opens
               * @default 0
               */
              forS?: number;
              /** @default [] */
              channelIds?: string[];
              /**
               * @description Notify again this often while open and unacknowledged; 0 never repeats
               * @default 3600
               */
              repeatIntervalS?: number;
              /** @default true */
              notifyOnResolve?: boolean;
              /** @default true */
              enabled?: boolean;
              /**
               * Format: uuid
               * @description This agent only …
               */
              agentId?: string;
              /** @description … or agents whose labels contain these */
              labels?: {
                [key: string]: string;
              };
            }
          | {
              /** @constant */
              kind: 'container_exited';
              name: string;
              /**
               * @default warning
               * @enum {string}
               */
              severity?: 'critical' | 'warning' | 'info';
              /**
               * @description How long the condition must hold before an incident opens
               * @default 0
               */
              forS?: number;
              /** @default [] */
              channelIds?: string[];
              /**
               * @description Notify again this often while open and unacknowledged; 0 never repeats
               * @default 3600
               */
              repeatIntervalS?: number;
              /** @default true */
              notifyOnResolve?: boolean;
              /** @default true */
              enabled?: boolean;
              /**
               * Format: uuid
               * @description This agent only …
               */
              agentId?: string;
              /** @description … or agents whose labels contain these */
              labels?: {
                [key: string]: string;
              };
              /** @description Containers with exactly this name */
              containerName?: string;
            }
          | {
              /** @constant */
              kind: 'container_unhealthy';
              name: string;
              /**
               * @default warning
               * @enum {string}
               */
              severity?: 'critical' | 'warning' | 'info';
              /**
               * @description How long the condition must hold before an incident opens
               * @default 0
               */
              forS?: number;
              /** @default [] */
              channelIds?: string[];
              /**
               * @description Notify again this often while open and unacknowledged; 0 never repeats
               * @default 3600
               */
              repeatIntervalS?: number;
              /** @default true */
              notifyOnResolve?: boolean;
              /** @default true */
              enabled?: boolean;
              /**
               * Format: uuid
               * @description This agent only …
               */
              agentId?: string;
              /** @description … or agents whose labels contain these */
              labels?: {
                [key: string]: string;
              };
              /** @description Containers with exactly this name */
              containerName?: string;
            }
          | {
              /** @constant */
              kind: 'container_restarting';
              name: string;
              /**
               * @default warning
               * @enum {string}
               */
              severity?: 'critical' | 'warning' | 'info';
              /**
               * @description How long the condition must hold before an incident opens
               * @default 0
               */
              forS?: number;
              /** @default [] */
              channelIds?: string[];
              /**
               * @description Notify again this often while open and unacknowledged; 0 never repeats
               * @default 3600
               */
              repeatIntervalS?: number;
              /** @default true */
              notifyOnResolve?: boolean;
              /** @default true */
              enabled?: boolean;
              /**
               * Format: uuid
               * @description This agent only …
               */
              agentId?: string;
              /** @description … or agents whose labels contain these */
              labels?: {
                [key: string]: string;
              };
              /** @description Containers with exactly this name */
              containerName?: string;
              /** @default 3 */
              restarts?: number;
              /** @default 600 */
              windowS?: number;
            }
          | {
              /** @constant */
              kind: 'metric_threshold';
              name: string;
              /**
               * @default warning
               * @enum {string}
               */
              severity?: 'critical' | 'warning' | 'info';
              /**
               * @description How long the condition must hold before an incident opens
               * @default 0
               */
              forS?: number;
              /** @default [] */
              channelIds?: string[];
              /**
               * @description Notify again this often while open and unacknowledged; 0 never repeats
               * @default 3600
               */
              repeatIntervalS?: number;
              /** @default true */
              notifyOnResolve?: boolean;
              /** @default true */
              enabled?: boolean;
              metric: string;
              /** @enum {string} */
              op: '>' | '>=' | '<' | '<=';
              value: number;
              /**
               * Format: uuid
               * @description This agent only …
               */
              agentId?: string;
              /** @description … or agents whose labels contain these */
              labels?: {
                [key: string]: string;
              };
              /** @description Only series whose labels contain these (e.g. a mount) */
              seriesLabels?: {
                [key: string]: string;
              };
            }
          | {
              /** @constant */
              kind: 'tls_expiry';
              name: string;
              /**
               * @default warning
               * @enum {string}
               */
              severity?: 'critical' | 'warning' | 'info';
              /**
               * @description How long the condition must hold before an incident opens
               * @default 0
               */
              forS?: number;
              /** @default [] */
              channelIds?: string[];
              /**
               * @description Notify again this often while open and unacknowledged; 0 never repeats
               * @default 3600
               */
              repeatIntervalS?: number;
              /** @default true */
              notifyOnResolve?: boolean;
              /** @default true */
              enabled?: boolean;
              /**
               * Format: uuid
               * @description This probe only …
               */
              probeId?: string;
              /** @description … or probes run by agents whose labels contain these */
              labels?: {
                [key: string]: string;
              };
              /** @default 14 */
              days?: number;
            };
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AlertRule'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description A channel, agent or probe does not exist */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAlertRulesById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The rule */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AlertRule'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such rule */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteAlertRulesById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such rule */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  patchAlertRulesById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          [key: string]: unknown;
        };
      };
    };
    responses: {
      /** @description The changed rule */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AlertRule'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such rule */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description A channel, agent or probe does not exist */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getIncidents: {
    parameters: {
      query?: {
        status?: 'open' | 'acknowledged' | 'resolved';
        /** @description Finds this text in the title, the summary or the rule's name */
        q?: string;
        severity?: 'critical' | 'warning' | 'info';
        ruleId?: string;
        limit?: number;
        offset?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of incidents */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['IncidentView'][];
            total: number;
            limit: number;
            offset: number;
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getIncidentsById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The incident */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['IncidentDetail'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such incident */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postIncidentsByIdAck: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          comment?: string;
        };
      };
    };
    responses: {
      /** @description The incident */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['IncidentDetail'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such incident */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The incident is not open */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postIncidentsByIdResolve: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          comment?: string;
        };
      };
    };
    responses: {
      /** @description The incident */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['IncidentDetail'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such incident */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The incident is already resolved */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postIncidentsByIdComments: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          text: string;
        };
      };
    };
    responses: {
      /** @description The incident */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['IncidentDetail'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such incident */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postIncidentsByIdAssign: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          userId: string | null;
        };
      };
    };
    responses: {
      /** @description The incident */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['IncidentDetail'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such incident */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such user */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getMaintenanceWindows: {
    parameters: {
      query?: {
        limit?: number;
        offset?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of windows */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['MaintenanceWindow'][];
            total: number;
            limit: number;
            offset: number;
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postMaintenanceWindows: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          name: string;
          /** @default  */
          reason?: string;
          /** Format: uuid */
          agentId?: string;
          /** Format: uuid */
          probeId?: string;
          /**
           * Format: uuid
           * @description eMMA's container id (not the engine's)
           */
          containerId?: string;
          /** @description Agents whose labels contain these */
          labels?: {
            [key: string]: string;
          };
          /**
           * Format: date-time
           * @description One-off: start; recurring: not before
           */
          startsAt?: string;
          /**
           * Format: date-time
           * @description One-off: end; recurring: not after
           */
          endsAt?: string;
          /** @description Recurring: when each occurrence starts (5 fields, UTC) */
          cron?: string;
          /** @description Recurring: how long each occurrence lasts */
          durationS?: number;
        };
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MaintenanceWindow'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The agent, probe or container does not exist */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getMaintenanceWindowsById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The window */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MaintenanceWindow'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such window */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteMaintenanceWindowsById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such window */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  patchMaintenanceWindowsById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          [key: string]: unknown;
        };
      };
    };
    responses: {
      /** @description The window */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MaintenanceWindow'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such window */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getNotificationChannels: {
    parameters: {
      query?: {
        type?: 'email' | 'slack' | 'teams' | 'webhook' | 'pagerduty' | 'telegram' | 'ntfy';
        enabled?: 'true' | 'false';
        q?: string;
        limit?: number;
        offset?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of channels */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['NotificationChannel'][];
            total: number;
            limit: number;
            offset: number;
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postNotificationChannels: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json':
          | {
              name: string;
              /** @constant */
              type: 'email';
              /**
               * Email (SMTP)
               * @description Email (SMTP) settings; writeOnly fields are secrets, stored encrypted and never returned
               */
              config: {
                host: string;
                /** @default 587 */
                port?: number;
                /**
                 * @description TLS from the start (usually port 465)
                 * @default false
                 */
                secure?: boolean;
                /**
                 * @description Insist on STARTTLS (otherwise it is used when the server offers it)
                 * @default false
                 */
                requireTLS?: boolean;
                /**
                 * @description Check the server certificate
                 * @default true
                 */
                tlsRejectUnauthorized?: boolean;
                user?: string;
                /** @description SMTP password (secret) */
                password?: string;
                from: string;
                to: string[];
              };
              /** @default true */
              enabled?: boolean;
            }
          | {
              name: string;
              /** @constant */
              type: 'slack';
              /**
               * Slack
               * @description Slack settings; writeOnly fields are secrets, stored encrypted and never returned
               */
              config: {
                /**
                 * Format: uri
                 * @description Incoming webhook URL (secret)
                 */
                url: string;
                /** @description Override the webhook’s channel, e.g. #ops */
                channel?: string;
                username?: string;
              };
              /** @default true */
              enabled?: boolean;
            }
          | {
              name: string;
              /** @constant */
              type: 'teams';
              /**
               * Microsoft Teams
               * @description Microsoft Teams settings; writeOnly fields are secrets, stored encrypted and never returned
               */
              config: {
                /**
                 * Format: uri
                 * @description Workflow webhook URL (secret)
                 */
                url: string;
              };
              /** @default true */
              enabled?: boolean;
            }
          | {
              name: string;
              /** @constant */
              type: 'webhook';
              /**
               * Webhook
               * @description Webhook settings; writeOnly fields are secrets, stored encrypted and never returned
               */
              config: {
                /** Format: uri */
                url: string;
                /**
                 * @default POST
                 * @enum {string}
                 */
                method?: 'POST' | 'PUT';
                /** @description HMAC-SHA256 key (secret) */
                secret?: string;
                /** @description Extra request headers (secret as a whole: write-only) */
                headers?: {
                  [key: string]: string;
                };
              };
              /** @default true */
              enabled?: boolean;
            }
          | {
              name: string;
              /** @constant */
              type: 'pagerduty';
              /**
               * PagerDuty
               * @description PagerDuty settings; writeOnly fields are secrets, stored encrypted and never returned
               */
              config: {
                /** @description Integration key (secret) */
                routingKey: string;
                /**
                 * Format: uri
                 * @description Events API endpoint
                 * @default https://events.pagerduty.com/v2/enqueue
                 */
                url?: string;
              };
              /** @default true */
              enabled?: boolean;
            }
          | {
              name: string;
              /** @constant */
              type: 'telegram';
              /**
               * Telegram
               * @description Telegram settings; writeOnly fields are secrets, stored encrypted and never returned
               */
              config: {
                /** @description Bot token (secret) */
                botToken: string;
                chatId: string | number;
                /**
                 * Format: uri
                 * @default https://api.telegram.org
                 */
                apiBaseUrl?: string;
                /**
                 * @description Send without sound (info messages are always silent)
                 * @default false
                 */
                silent?: boolean;
              };
              /** @default true */
              enabled?: boolean;
            }
          | {
              name: string;
              /** @constant */
              type: 'ntfy';
              /**
               * ntfy
               * @description ntfy settings; writeOnly fields are secrets, stored encrypted and never returned
               */
              config: {
                /**
                 * Format: uri
                 * @default https://ntfy.sh
                 */
                serverUrl?: string;
                topic: string;
                /** @description Access token (secret) */
                token?: string;
              };
              /** @default true */
              enabled?: boolean;
            };
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['NotificationChannel'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getNotificationChannelsById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The channel */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['NotificationChannel'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such channel */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteNotificationChannelsById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such channel */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  patchNotificationChannelsById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          name?: string;
          enabled?: boolean;
          /** @description The whole config; secret fields left out keep their stored values */
          config?: {
            [key: string]: unknown;
          };
        };
      };
    };
    responses: {
      /** @description The changed channel */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['NotificationChannel'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such channel */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postNotificationChannelsByIdTest: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The test delivery with its attempt */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['NotificationDeliveryDetail'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such channel */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The channel is disabled */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getNotificationDeliveries: {
    parameters: {
      query?: {
        channelId?: string;
        incidentId?: string;
        status?: 'pending' | 'sending' | 'succeeded' | 'failed';
        event?: 'opened' | 'repeat' | 'acknowledged' | 'resolved' | 'test';
        limit?: number;
        offset?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of deliveries */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['NotificationDelivery'][];
            total: number;
            limit: number;
            offset: number;
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getNotificationDeliveriesById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The delivery */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['NotificationDeliveryDetail'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such delivery */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getContainers: {
    parameters: {
      query?: {
        agentId?: string;
        /** @description Comma list of states, e.g. running,restarting */
        state?: string;
        health?: 'none' | 'starting' | 'healthy' | 'unhealthy';
        /** @description Part of the name, any case */
        name?: string;
        /** @description Engine label `key=value` (that value) or `key` (any value); repeat for all of several */
        label?: string | string[];
        /** @description Also list containers the agent no longer reports */
        includeRemoved?: 'true' | 'false';
        limit?: number;
        offset?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of containers */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['Container'][];
            total: number;
            limit: number;
            offset: number;
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getContainersById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description eMMA container id (uuid), or the engine's id: in full, or a prefix of at least 12 hex digits */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The container */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Container'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such container */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description An engine-id prefix matches several containers (ambiguous) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getContainersByIdEvents: {
    parameters: {
      query?: {
        from?: string;
        /** @description Default: now */
        to?: string;
        limit?: number;
      };
      header?: never;
      path: {
        /** @description eMMA container id (uuid), or the engine's id: in full, or a prefix of at least 12 hex digits */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Events */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              /** Format: date-time */
              ts: string;
              /** @description 'created', 'state' (an observed change), 'removed', or the engine's event (start, die …) */
              action: string;
              state:
                ('created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead') | null;
              health: ('none' | 'starting' | 'healthy' | 'unhealthy') | null;
              exitCode: number | null;
              message: string | null;
            }[];
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such container */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description An engine-id prefix matches several containers (ambiguous) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getContainersByIdSeries: {
    parameters: {
      query: {
        metric:
          | 'container.cpu.percent'
          | 'container.mem.used.bytes'
          | 'container.mem.limit.bytes'
          | 'container.net.rx.bytes_per_s'
          | 'container.net.tx.bytes_per_s'
          | 'container.blk.read.bytes_per_s'
          | 'container.blk.write.bytes_per_s'
          | 'container.pids'
          | 'container.restarts';
        /** @description Default: one hour before `to` */
        from?: string;
        /** @description Default: now */
        to?: string;
        /** @description Resolution in seconds: each point stands for one bucket of this width (aligned to the unix epoch), at the bucket start. Without it the server picks one from the range: raw samples for short ranges, else the smallest round step that keeps each series within `maxPoints`. A step is raised to that minimum too, and to a whole number of the tier's buckets (minutes or hours); the answer says what it used. */
        step?: number;
        /** @description Most points per series (default and limit 2000); e.g. the chart's width in pixels */
        maxPoints?: number;
      };
      header?: never;
      path: {
        /** @description eMMA container id (uuid), or the engine's id: in full, or a prefix of at least 12 hex digits */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Points */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** Format: uuid */
            id: string;
            metric: string;
            labels: {
              [key: string]: string;
            };
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
            /**
             * @description raw: samples as stored; 1m / 1h: the 1-minute or 1-hour rollups (and the newest raw samples)
             * @enum {string}
             */
            tier: 'raw' | '1m' | '1h';
            /** @description The bucket width in seconds (each point the average); null: raw */
            stepS: number | null;
            /** @description [unix ms, value], oldest first */
            points: [number, number][];
            /** @description More than `maxPoints` points: the oldest were left out */
            truncated: boolean;
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such container */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description An engine-id prefix matches several containers (ambiguous) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getContainersByIdActions: {
    parameters: {
      query?: {
        limit?: number;
      };
      header?: never;
      path: {
        /** @description eMMA container id (uuid), or the engine's id: in full, or a prefix of at least 12 hex digits */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Actions */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['ContainerAction'][];
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such container */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description An engine-id prefix matches several containers (ambiguous) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postContainersByIdActions: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description eMMA container id (uuid), or the engine's id: in full, or a prefix of at least 12 hex digits */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @enum {string} */
          action: 'start' | 'stop' | 'restart';
          /**
           * @description Seconds the engine waits for the container to stop before it kills it
           * @default 10
           */
          stopTimeoutS?: number;
          /**
           * @description The agent must take the action within this time, or it expires
           * @default 60
           */
          expiresInS?: number;
        };
      };
    };
    responses: {
      /** @description Queued */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ContainerAction'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such container */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description ambiguous id prefix; actions_disabled (the agent runs read-only); container_removed; agent_unavailable (pending, revoked or deleted) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getContainerActionsByActionId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        actionId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The action */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ContainerAction'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such action */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAgentsSelfCommands: {
    parameters: {
      query?: {
        /** @description Wait up to this long for a command when none is queued (long poll) */
        waitS?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Commands, oldest first */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            commands: {
              /** Format: uuid */
              id: string;
              /** @constant */
              kind: 'container_action';
              containerId: string;
              /** @enum {string} */
              action: 'start' | 'stop' | 'restart';
              stopTimeoutS: number;
              expiresAt: number;
            }[];
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAgentsSelfCommandsByIdResult: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @enum {string} */
          status: 'succeeded' | 'failed';
          /** @default  */
          message?: string;
          finishedAt: number;
        };
      };
    };
    responses: {
      /** @description Recorded */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            status: 'queued' | 'running' | 'succeeded' | 'failed' | 'expired';
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not one of this agent's commands */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description already_finished: the command is not running (expired, failed or reported) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getOverview: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The counts */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Overview'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getDashboards: {
    parameters: {
      query?: {
        /** @description Finds this text in the name */
        q?: string;
        limit?: number;
        offset?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of dashboards */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['DashboardSummary'][];
            total: number;
            limit: number;
            offset: number;
          };
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postDashboards: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateDashboard'];
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Dashboard'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getDashboardsById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The dashboard */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Dashboard'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such dashboard, or not shared with you */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteDashboardsById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Another user's shared dashboard */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such dashboard, or not shared with you */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  patchDashboardsById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateDashboard'];
      };
    };
    responses: {
      /** @description The changed dashboard */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Dashboard'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Another user's shared dashboard: read-only */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such dashboard, or not shared with you */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Request body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getReportsUptime: {
    parameters: {
      query?: {
        /** @description Start of the range (default: 30 days before `to`) */
        from?: string;
        /** @description End of the range, exclusive (default: now) */
        to?: string;
        /** @description One item per probe, per agent, or per value of the agent label named by `label` */
        group?: 'probe' | 'agent' | 'label';
        /** @description The agent label key to group by; required with group=label */
        label?: string;
        /** @description Only these probes (comma list of up to 200 ids) */
        probe?: string;
        /** @description Only checks run by these agents (comma list of up to 200 ids) */
        agent?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The report */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['UptimeReport'];
        };
      };
      /** @description Invalid input (validation_failed, invalid_json) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Missing, invalid or expired access token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The role lacks the required permission */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Internal error */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
}
