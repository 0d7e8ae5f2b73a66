-- Ends the current pause: the rollout moves to its next step.
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
obj.metadata.annotations["whetstone.dev/promote"] = "step"
return obj
