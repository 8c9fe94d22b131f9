package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// check cross-checks the decoded manifests: what kubectl apply -k would
// accept but would leave a broken deployment.
func (m *manifests) check() error {
	var errs []error
	errs = append(errs, m.checkKustomization()...)
	if len(m.deployments) == 0 {
		errs = append(errs, errors.New("no Deployment"))
	}
	for _, d := range m.deployments {
		errs = append(errs, checkDeployment(d, m.secrets)...)
	}
	for _, s := range m.services {
		if !anyPods(m.deployments, s.Spec.Selector) {
			errs = append(errs, fmt.Errorf("Service %s selects no Deployment's pods (%v)", s.Name, s.Spec.Selector))
		}
		for _, p := range s.Spec.Ports {
			if p.TargetPort.StrVal != "" && !anyNamedPort(m.deployments, p.TargetPort.StrVal) {
				errs = append(errs, fmt.Errorf("Service %s: targetPort %q is no container port's name", s.Name, p.TargetPort.StrVal))
			}
		}
	}
	for _, p := range m.pdbs {
		sel, err := metav1.LabelSelectorAsSelector(p.Spec.Selector)
		if err != nil || p.Spec.Selector == nil || !anyPodsMatch(m.deployments, sel) {
			errs = append(errs, fmt.Errorf("PodDisruptionBudget %s selects no Deployment's pods", p.Name))
		}
	}
	return errors.Join(errs...)
}

// checkKustomization: its resources exist and are every manifest but the
// *.example.yaml templates.
func (m *manifests) checkKustomization() []error {
	if m.kustomization == nil {
		return []error{errors.New("no kustomization.yaml")}
	}
	var errs []error
	for _, r := range m.kustomization.Resources {
		if _, err := os.Stat(filepath.Join(m.dir, r)); err != nil {
			errs = append(errs, fmt.Errorf("kustomization: resource %s: %w", r, err))
		}
	}
	for _, f := range m.files {
		listed := slices.Contains(m.kustomization.Resources, f)
		template := strings.HasSuffix(f, ".example.yaml")
		switch {
		case !listed && !template:
			errs = append(errs, fmt.Errorf("kustomization does not list %s", f))
		case listed && template:
			errs = append(errs, fmt.Errorf("kustomization lists the template %s", f))
		}
	}
	return errs
}

func checkDeployment(d *appsv1.Deployment, secrets []*corev1.Secret) []error {
	var errs []error
	sel, err := metav1.LabelSelectorAsSelector(d.Spec.Selector)
	if err != nil || d.Spec.Selector == nil {
		errs = append(errs, fmt.Errorf("Deployment %s: selector: %v", d.Name, err))
	} else if !sel.Matches(labels.Set(d.Spec.Template.Labels)) {
		errs = append(errs, fmt.Errorf("Deployment %s: selector %v does not match the pod labels %v", d.Name, sel, d.Spec.Template.Labels))
	}
	if len(d.Spec.Template.Spec.Containers) == 0 {
		errs = append(errs, fmt.Errorf("Deployment %s: no container", d.Name))
	}
	for _, c := range d.Spec.Template.Spec.Containers {
		ports := map[string]bool{}
		for _, p := range c.Ports {
			ports[p.Name] = true
		}
		for what, probe := range map[string]*corev1.Probe{"liveness": c.LivenessProbe, "readiness": c.ReadinessProbe} {
			if probe == nil || probe.HTTPGet == nil {
				errs = append(errs, fmt.Errorf("Deployment %s: container %s has no HTTP %s probe", d.Name, c.Name, what))
				continue
			}
			if name := probe.HTTPGet.Port.StrVal; name != "" && !ports[name] {
				errs = append(errs, fmt.Errorf("Deployment %s: %s probe port %q is no port's name", d.Name, what, name))
			}
		}
		for _, e := range c.Env {
			if e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil {
				continue
			}
			if ref := e.ValueFrom.SecretKeyRef; !secretHas(secrets, ref.Name, ref.Key) {
				errs = append(errs, fmt.Errorf("Deployment %s: %s reads key %q of Secret %q, which the example Secret lacks", d.Name, e.Name, ref.Key, ref.Name))
			}
		}
	}
	return errs
}

func secretHas(secrets []*corev1.Secret, name, key string) bool {
	for _, s := range secrets {
		if s.Name != name {
			continue
		}
		if _, ok := s.StringData[key]; ok {
			return true
		}
		if _, ok := s.Data[key]; ok {
			return true
		}
	}
	return false
}

func anyPods(ds []*appsv1.Deployment, selector map[string]string) bool {
	return len(selector) > 0 && anyPodsMatch(ds, labels.SelectorFromSet(selector))
}

func anyPodsMatch(ds []*appsv1.Deployment, sel labels.Selector) bool {
	for _, d := range ds {
		if sel.Matches(labels.Set(d.Spec.Template.Labels)) {
			return true
		}
	}
	return false
}

func anyNamedPort(ds []*appsv1.Deployment, name string) bool {
	for _, d := range ds {
		for _, c := range d.Spec.Template.Spec.Containers {
			for _, p := range c.Ports {
				if p.Name == name {
					return true
				}
			}
		}
	}
	return false
}
