{{/*
Kafka topics and consumer groups. They are fixed by the services' code
(common/kafka_worker.h, services/<name>/main.c); helm/check_sources.py compares
this table with the sources.
*/}}

{{/* Every topic, as a YAML list. */}}
{{- define "isim.topics" -}}
- interview.uploaded
- interview.audio-extracted
- interview.converted
- interview.transcribed
- interview.video-metrics
- interview.text-metrics
- interview.status
- interview.dlq
{{- end }}

{{/* The topics each worker consumes (consumer group isim-<component>), by values key. */}}
{{- define "isim.workerTopics" -}}
converter: [interview.uploaded]
transcriber: [interview.audio-extracted]
videoMetrics: [interview.converted]
textMetrics: [interview.transcribed]
resultWriter: [interview.status, interview.converted, interview.transcribed, interview.video-metrics, interview.text-metrics]
{{- end }}

{{/* A topic's partition count: kafka.topicPartitions[topic], else kafka.partitions. */}}
{{- define "isim.partitionsOf" -}}
{{- $k := .root.Values.kafka -}}
{{- $n := $k.partitions -}}
{{- if hasKey ($k.topicPartitions | default dict) .topic -}}
{{- $n = index $k.topicPartitions .topic -}}
{{- end -}}
{{- $n | int -}}
{{- end }}

{{/* ISIM_KAFKA_TOPIC_PARTITIONS: topic=count,... in topic order. */}}
{{- define "isim.topicPartitionsEnv" -}}
{{- $k := .Values.kafka -}}
{{- $pairs := list -}}
{{- range $t := keys ($k.topicPartitions | default dict) | sortAlpha -}}
{{- $pairs = append $pairs (printf "%s=%d" $t (index $k.topicPartitions $t | int)) -}}
{{- end -}}
{{- join "," $pairs -}}
{{- end }}

{{/*
The worker's most partitioned topic and its count, "topic=count": the most
replicas that get a partition (a result-writer replica may own partitions of
several topics, so the largest topic bounds it).
*/}}
{{- define "isim.workerCeiling" -}}
{{- $root := .root -}}
{{- $best := "" -}}
{{- $max := -1 -}}
{{- range $t := index (include "isim.workerTopics" $root | fromYaml) .key -}}
{{- $n := include "isim.partitionsOf" (dict "root" $root "topic" $t) | int -}}
{{- if gt $n $max }}{{ $best = $t }}{{ $max = $n }}{{ end -}}
{{- end -}}
{{- printf "%s=%d" $best $max -}}
{{- end }}

{{/* "keda", "hpa" or "" : what sets a service's replicas. */}}
{{- define "isim.autoscaler" -}}
{{- $isWorker := hasKey (include "isim.workerTopics" .root | fromYaml) .key -}}
{{- if and $isWorker .root.Values.keda.enabled -}}
keda
{{- else if and .svc.autoscaling .svc.autoscaling.enabled -}}
hpa
{{- end -}}
{{- end }}

{{/* KEDA's name for a SASL mechanism. */}}
{{- define "isim.kedaSasl" -}}
{{- $m := dict "PLAIN" "plaintext" "SCRAM-SHA-256" "scram_sha256" "SCRAM-SHA-512" "scram_sha512" -}}
{{- index $m . -}}
{{- end }}
