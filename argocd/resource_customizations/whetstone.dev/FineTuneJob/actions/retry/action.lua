-- Retries a Failed job (or a RolledBack rollout) from the start; the operator removes the annotation once it acted.
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
obj.metadata.annotations["whetstone.dev/retry"] = "true"
return obj
