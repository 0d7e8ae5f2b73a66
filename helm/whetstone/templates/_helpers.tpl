{{/* Labels every object of the release carries. */}}
{{- define "whetstone.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: whetstone
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{/* The operator pods' selector: immutable once installed. */}}
{{- define "whetstone.selectorLabels" -}}
app.kubernetes.io/name: whetstone
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end -}}

{{- define "whetstone.operatorName" -}}
{{- printf "%s-operator" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "whetstone.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}
{{- end -}}

{{/* True (non-empty) when the replicas elect a leader. */}}
{{- define "whetstone.leaderElection" -}}
{{- if gt (int .Values.replicas) 1 }}true{{ end -}}
{{- end -}}

{{/* The namespaces where jobs' workers run under the shared account: the watched one, else the listed ones, else the release's. */}}
{{- define "whetstone.jobNamespaces" -}}
{{- if .Values.watchNamespace -}}
{{ list .Values.watchNamespace | toJson }}
{{- else if .Values.worker.jobNamespaces -}}
{{ .Values.worker.jobNamespaces | toJson }}
{{- else -}}
{{ list .Release.Namespace | toJson }}
{{- end -}}
{{- end -}}

{{/* The four kinds' plural resource names. */}}
{{- define "whetstone.kinds" -}}
[finetunejobs, compressionjobs, evaluationruns, modelrollouts]
{{- end -}}

{{/* The operator's settings, read by ASP.NET Core as appsettings.Production.json. */}}
{{- define "whetstone.settings" -}}
{{- $workers := dict
  "image" .Values.worker.image
  "imagePullPolicy" .Values.worker.imagePullPolicy
  "perJobServiceAccounts" .Values.worker.perJobServiceAccounts
  "serviceAccountName" .Values.worker.serviceAccountName
  "gpuResourceName" .Values.worker.gpuResourceName
  "gpuProductLabel" .Values.worker.gpuProductLabel
  "artifactStoreSecretName" .Values.worker.artifactStoreSecretName
  "terminationGracePeriodSeconds" .Values.worker.terminationGracePeriodSeconds
  "podSecurityContext" .Values.worker.podSecurityContext
  "securityContext" .Values.worker.securityContext
  "scratchMountPath" .Values.worker.scratch.mountPath
  "scratchSizeLimit" .Values.worker.scratch.sizeLimit
  "ephemeralStorageRequest" .Values.worker.ephemeralStorageRequest
  "modelCacheHostPath" .Values.worker.modelCache.hostPath
  "modelCacheMaxSize" (default "" .Values.worker.modelCache.maxSize | toString)
  "environment" .Values.worker.env -}}
{{- $operator := dict "watchNamespace" .Values.watchNamespace "leaderElection" (eq (include "whetstone.leaderElection" .) "true") -}}
{{- $logging := dict "LogLevel" (dict "Default" .Values.logLevel) -}}
{{- dict "Whetstone" (dict "Operator" $operator "Workers" $workers) "Logging" $logging | toPrettyJson -}}
{{- end -}}
