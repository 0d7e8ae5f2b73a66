-- Rolls the canary back now: all traffic returns to the stable version.
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
obj.metadata.annotations["whetstone.dev/abort"] = "true"
return obj
