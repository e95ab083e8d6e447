{{/*
The pre-install/pre-upgrade hooks. Helm creates them in hook-weight order
before the release's own objects (on install, its ConfigMap and Secret do not
exist yet), waits for each Job to finish, and deletes them all once every one
succeeded (hook-succeeded) or when the next install or upgrade starts
(before-hook-creation), so a failed Job stays for `kubectl logs`.
*/}}

{{/* The Jobs, by name: the isim CLI command each runs, its weight, and the value that enables it. */}}
{{- define "isim.hookJobs" -}}
{{- $v := .Values -}}
{{- if $v.migrations.job }}
migrate: {command: [admin, migrate], weight: 0}
{{- end }}
{{- if $v.kafka.createTopics }}
topics: {command: [admin, topics], weight: 1}
{{- end }}
{{- if $v.s3.createBucket }}
bucket: {command: [admin, bucket], weight: 2}
{{- end }}
{{- end }}

{{/* Annotations of a hook of weight . */}}
{{- define "isim.hookAnnotations" -}}
helm.sh/hook: pre-install,pre-upgrade
helm.sh/hook-weight: {{ . | quote }}
helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
{{- end }}

{{/* The hooks' ConfigMap and Secret copies (weight -10, before the Jobs). */}}
{{- define "isim.hookConfigName" -}}
{{- include "isim.fullname" . }}-hooks
{{- end }}

{{- define "isim.hookSecretName" -}}
{{- if .Values.secrets.existingSecret }}
{{- .Values.secrets.existingSecret }}
{{- else }}
{{- include "isim.fullname" . }}-hooks
{{- end }}
{{- end }}

{{/* The chart's ServiceAccount does not exist yet when pre-install hooks run. */}}
{{- define "isim.hookServiceAccountName" -}}
{{- if .Values.hooks.serviceAccountName }}
{{- .Values.hooks.serviceAccountName }}
{{- else if .Values.serviceAccount.create }}
{{- "default" }}
{{- else }}
{{- include "isim.serviceAccountName" . }}
{{- end }}
{{- end }}
