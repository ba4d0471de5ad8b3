{{- define "floe.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "floe.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "floe.labels" -}}
app.kubernetes.io/name: {{ include "floe.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "floe.selectorLabels" -}}
app.kubernetes.io/name: {{ include "floe.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "floe.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "floe.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "floe.databaseSecret" -}}
{{- default (printf "%s-database" (include "floe.fullname" .)) .Values.database.existingSecret -}}
{{- end -}}

{{- define "floe.secretKeysSecret" -}}
{{- default (printf "%s-secret-keys" (include "floe.fullname" .)) .Values.secretKeys.existingSecret -}}
{{- end -}}

{{/* The container's environment, shared by the server and the migration. */}}
{{- define "floe.env" -}}
- name: FLOE_BIND_ADDRESS
  value: "0.0.0.0"
- name: FLOE_PORT
  value: {{ .Values.service.port | quote }}
- name: FLOE_DATA_DIR
  value: /tmp/floe
- name: FLOE_BOOTSTRAP_DEMO
  value: "false"
- name: FLOE_LOG_FORMAT
  value: {{ .Values.logFormat | quote }}
- name: FLOE_DATABASE_WRITE_POOL_SIZE
  value: {{ .Values.database.writePoolSize | quote }}
- name: FLOE_DATABASE_READ_POOL_SIZE
  value: {{ .Values.database.readPoolSize | quote }}
- name: FLOE_SHUTDOWN_DELAY_SECONDS
  value: {{ .Values.shutdownDelaySeconds | quote }}
- name: FLOE_SHUTDOWN_TIMEOUT_SECONDS
  value: {{ .Values.shutdownTimeoutSeconds | quote }}
{{- if .Values.javaOpts }}
- name: JDK_JAVA_OPTIONS
  value: {{ .Values.javaOpts | quote }}
{{- end }}
{{- with .Values.openid }}
{{- if .issuer }}
- name: FLOE_OPENID_PROVIDER_URI
  value: {{ .issuer | quote }}
{{- end }}
{{- if .audience }}
- name: FLOE_OPENID_AUDIENCE
  value: {{ .audience | quote }}
{{- end }}
{{- if .rolesClaim }}
- name: FLOE_OPENID_ROLES_CLAIM
  value: {{ .rolesClaim | quote }}
{{- end }}
{{- if .kubernetesIssuer }}
- name: FLOE_KUBERNETES_ISSUER
  value: {{ .kubernetesIssuer | quote }}
{{- end }}
{{- if .kubernetesAudience }}
- name: FLOE_KUBERNETES_AUDIENCE
  value: {{ .kubernetesAudience | quote }}
{{- end }}
{{- end }}
- name: FLOE_AUTHZ_BACKEND
  value: {{ .Values.authorization.backend | quote }}
{{- if eq .Values.authorization.backend "openfga" }}
- name: FLOE_OPENFGA_ENDPOINT
  value: {{ required "authorization.openfga.endpoint is required with the openfga backend" .Values.authorization.openfga.endpoint | quote }}
- name: FLOE_OPENFGA_STORE
  value: {{ .Values.authorization.openfga.store | quote }}
{{- end }}
{{- if .Values.events.natsUrl }}
- name: FLOE_EVENTS_NATS_URL
  value: {{ .Values.events.natsUrl | quote }}
{{- end }}
{{- if .Values.events.kafkaBootstrapServers }}
- name: FLOE_EVENTS_KAFKA_BOOTSTRAP_SERVERS
  value: {{ .Values.events.kafkaBootstrapServers | quote }}
{{- end }}
{{- if .Values.tracing.otlpEndpoint }}
- name: FLOE_TRACING_OTLP_ENDPOINT
  value: {{ .Values.tracing.otlpEndpoint | quote }}
- name: FLOE_TRACING_SAMPLE_RATIO
  value: {{ .Values.tracing.sampleRatio | quote }}
{{- end }}
{{- with .Values.env }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "floe.envFrom" -}}
- secretRef:
    name: {{ include "floe.databaseSecret" . }}
{{- if or .Values.secretKeys.existingSecret .Values.secretKeys.value }}
- secretRef:
    name: {{ include "floe.secretKeysSecret" . }}
{{- end }}
{{- if .Values.authorization.openfga.existingSecret }}
- secretRef:
    name: {{ .Values.authorization.openfga.existingSecret }}
{{- end }}
{{- with .Values.envFrom }}
{{ toYaml . }}
{{- end }}
{{- end -}}
