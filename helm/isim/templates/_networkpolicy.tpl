{{/* NetworkPolicy pieces shared by networkpolicy.yaml and hooks-networkpolicy.yaml. */}}

{{/* What each component reaches besides DNS (NetworkPolicy egress), by values key. */}}
{{- define "isim.componentNeeds" -}}
gateway: [kafka, postgresql, redis, s3, webhooks]
converter: [kafka, s3]
transcriber: [kafka, s3, stt]
videoMetrics: [kafka, s3]
textMetrics: [kafka]
resultWriter: [kafka, postgresql, redis, stt]
{{- end }}

{{/* The TCP ports of config.kafkaBrokers (host:port,...) and networkPolicy.egress.kafka.extraPorts. */}}
{{- define "isim.kafkaPorts" -}}
{{- $ports := list -}}
{{- range splitList "," .Values.config.kafkaBrokers -}}
{{- $hostPort := trim . -}}
{{- if not (regexMatch ":[0-9]+$" $hostPort) -}}
{{- fail (printf "config.kafkaBrokers: %q has no port (host:port is needed for the NetworkPolicy)" $hostPort) -}}
{{- end -}}
{{- $ports = append $ports (regexFind "[0-9]+$" $hostPort | int) -}}
{{- end -}}
{{- range .Values.networkPolicy.egress.kafka.extraPorts -}}
{{- $ports = append $ports (. | int) -}}
{{- end -}}
{{- toYaml (uniq $ports) -}}
{{- end }}

{{/* The TCP port of config.s3Endpoint: its own, or 80/443 by its scheme. */}}
{{- define "isim.s3Port" -}}
{{- $u := urlParse .Values.config.s3Endpoint -}}
{{- if regexMatch ":[0-9]+$" $u.host -}}
{{- regexFind "[0-9]+$" $u.host -}}
{{- else if eq $u.scheme "https" -}}
443
{{- else -}}
80
{{- end -}}
{{- end }}

{{/* Pods of one component of this release: a podSelector. */}}
{{- define "isim.componentSelector" -}}
podSelector:
  matchLabels:
    {{- include "isim.selectorLabels" .root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* An egress rule: TCP (or the given) ports to peers; no `to` when the peers are [] (any address). */}}
{{- define "isim.egressRule" -}}
{{- $ports := list -}}
{{- range .ports }}{{ $ports = append $ports (dict "port" (. | int) "protocol" "TCP") }}{{ end -}}
{{- $rule := dict -}}
{{- with $ports }}{{ $_ := set $rule "ports" . }}{{ end -}}
{{- with .to }}{{ $_ := set $rule "to" . }}{{ end -}}
{{- toJson $rule -}}
{{- end }}

{{/*
Egress rules (a YAML list) for a list of needs, DNS always first: kafka,
postgresql, redis, s3, stt, webhooks. dict "root" $ "needs" (list ...).
*/}}
{{- define "isim.egressRules" -}}
{{- $root := .root -}}
{{- $e := $root.Values.networkPolicy.egress -}}
{{- $dns := dict "ports" (list (dict "port" 53 "protocol" "UDP") (dict "port" 53 "protocol" "TCP")) -}}
{{- with $e.dns.to }}{{ $_ := set $dns "to" . }}{{ end -}}
{{- $rules := list $dns -}}
{{- range $need := .needs -}}
{{- $r := "" -}}
{{- if eq $need "kafka" -}}
{{- $r = include "isim.egressRule" (dict "ports" (include "isim.kafkaPorts" $root | fromYamlArray) "to" $e.kafka.to) -}}
{{- else if eq $need "postgresql" -}}
{{- $r = include "isim.egressRule" (dict "ports" $e.postgresql.ports "to" $e.postgresql.to) -}}
{{- else if eq $need "redis" -}}
{{- $r = include "isim.egressRule" (dict "ports" (list $root.Values.config.redisPort) "to" $e.redis.to) -}}
{{- else if eq $need "s3" -}}
{{- $r = include "isim.egressRule" (dict "ports" (list (include "isim.s3Port" $root)) "to" $e.s3.to) -}}
{{- else if and (eq $need "stt") $root.Values.stt.enabled -}}
{{- $r = include "isim.egressRule" (dict "ports" (list $root.Values.stt.port) "to" (list (include "isim.componentSelector" (dict "root" $root "component" "stt") | fromYaml))) -}}
{{- else if and (eq $need "webhooks") $e.webhooks.enabled -}}
{{- $r = include "isim.egressRule" (dict "ports" list "to" $e.webhooks.to) -}}
{{- end -}}
{{- with $r }}{{ $rules = append $rules (fromJson .) }}{{ end -}}
{{- end -}}
{{- toYaml $rules -}}
{{- end }}
