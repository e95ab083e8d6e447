{{/* Pieces every pod of the release shares. */}}

{{/* A service's stage timeout: ISIM_STAGE_TIMEOUT_S as its container sees it (its extraEnv wins over the global extraEnv, which wins over the ConfigMap). */}}
{{- define "isim.stageTimeoutS" -}}
{{- $t := .root.Values.config.stageTimeoutS | int -}}
{{- range concat (.root.Values.extraEnv | default list) (.svc.extraEnv | default list) -}}
{{- if and (eq .name "ISIM_STAGE_TIMEOUT_S") .value }}{{ $t = .value | int }}{{ end -}}
{{- end -}}
{{- $t -}}
{{- end }}

{{/*
terminationGracePeriodSeconds: the service's own value when set; for a worker
its stage timeout plus terminationGraceMarginSeconds, so the message in hand
can finish; 30 s otherwise.
*/}}
{{- define "isim.terminationGrace" -}}
{{- if and (hasKey .svc "terminationGracePeriodSeconds") (not (kindIs "invalid" .svc.terminationGracePeriodSeconds)) -}}
{{- .svc.terminationGracePeriodSeconds | int -}}
{{- else if hasKey (include "isim.workerTopics" .root | fromYaml) .key -}}
{{- add (include "isim.stageTimeoutS" .) (.root.Values.terminationGraceMarginSeconds | int) -}}
{{- else -}}
30
{{- end -}}
{{- end }}

{{/* The CA certificate Secrets of kafka.tls, redis.tls, postgresql and s3, as volumes. */}}
{{- define "isim.caVolumes" -}}
{{- range $dep, $secret := dict "kafka" .Values.kafka.tls.caSecret "postgresql" .Values.postgresql.caSecret "s3" .Values.s3.caSecret "redis" (and .Values.redis.tls.enabled .Values.redis.tls.caSecret) }}
{{- if $secret }}
- name: ca-{{ $dep }}
  secret:
    secretName: {{ $secret }}
    items:
      - key: ca.crt
        path: ca.crt
{{- end }}
{{- end }}
{{- end }}

{{- define "isim.caVolumeMounts" -}}
{{- range $dep, $secret := dict "kafka" .Values.kafka.tls.caSecret "postgresql" .Values.postgresql.caSecret "s3" .Values.s3.caSecret "redis" (and .Values.redis.tls.enabled .Values.redis.tls.caSecret) }}
{{- if $secret }}
- name: ca-{{ $dep }}
  mountPath: {{ include "isim.caDir" $dep }}
  readOnly: true
{{- end }}
{{- end }}
{{- end }}
