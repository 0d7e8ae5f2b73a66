"""The basic scenario through the official Python client (python3-kubernetes), unchanged.

Usage: scenario.py <kubeconfig> <namespace>. Prints one line per step; exits non-zero on the first failure.
"""
import sys

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException

GROUP, VERSION, PLURAL = "test.whetstone.dev", "v1", "widgets"


def main():
    kubeconfig, ns = sys.argv[1], sys.argv[2]
    config.load_kube_config(config_file=kubeconfig)
    core = client.CoreV1Api()
    custom = client.CustomObjectsApi()

    core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=ns)))
    cm = core.create_namespaced_config_map(ns, client.V1ConfigMap(
        metadata=client.V1ObjectMeta(name="py-cm", labels={"app": "py"}), data={"k": "v"}))
    print("configmap created", cm.metadata.resource_version)

    body = {"apiVersion": f"{GROUP}/{VERSION}", "kind": "Widget",
            "metadata": {"name": "py-w", "labels": {"app": "py"}}, "spec": {"size": 2}}
    created = custom.create_namespaced_custom_object(GROUP, VERSION, ns, PLURAL, body)
    assert created["spec"]["color"] == "red", created
    print("widget created", created["metadata"]["resourceVersion"])

    patched = custom.patch_namespaced_custom_object(GROUP, VERSION, ns, PLURAL, "py-w", {"spec": {"size": 5}})
    assert patched["spec"]["size"] == 5 and patched["metadata"]["generation"] == 2, patched
    print("widget patched")

    listed = custom.list_namespaced_custom_object(GROUP, VERSION, ns, PLURAL, label_selector="app=py")
    assert [i["metadata"]["name"] for i in listed["items"]] == ["py-w"], listed
    print("widget listed")

    try:
        custom.create_namespaced_custom_object(GROUP, VERSION, ns, PLURAL, {
            "apiVersion": f"{GROUP}/{VERSION}", "kind": "Widget", "metadata": {"name": "py-bad"}, "spec": {"size": 0}})
        raise AssertionError("invalid widget accepted")
    except ApiException as e:
        assert e.status == 422 and "spec.size" in e.body, e.body
        print("invalid rejected")

    stale = dict(patched)
    stale["metadata"] = dict(created["metadata"])
    try:
        custom.replace_namespaced_custom_object(GROUP, VERSION, ns, PLURAL, "py-w", stale)
        raise AssertionError("stale update accepted")
    except ApiException as e:
        assert e.status == 409, e.status
        print("stale update conflicts")

    w = watch.Watch()
    seen = []
    rv = listed["metadata"]["resourceVersion"]
    custom.patch_namespaced_custom_object(GROUP, VERSION, ns, PLURAL, "py-w", {"spec": {"size": 6}})
    for event in w.stream(custom.list_namespaced_custom_object, GROUP, VERSION, ns, PLURAL,
                          resource_version=rv, timeout_seconds=10):
        seen.append((event["type"], event["object"]["spec"]["size"]))
        if event["object"]["spec"]["size"] == 6:
            w.stop()
    assert seen == [("MODIFIED", 6)], seen
    print("watch saw", seen)

    pods = core.list_namespaced_pod(ns)
    assert pods.items == [], pods
    custom.delete_namespaced_custom_object(GROUP, VERSION, ns, PLURAL, "py-w")
    try:
        custom.get_namespaced_custom_object(GROUP, VERSION, ns, PLURAL, "py-w")
        raise AssertionError("deleted widget still served")
    except ApiException as e:
        assert e.status == 404, e.status
    print("widget deleted")
    core.delete_namespace(ns)
    print("ok")


if __name__ == "__main__":
    main()
