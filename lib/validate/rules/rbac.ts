/**
 * Roles and their bindings as the API server checks them: each rule has verbs and, for
 * resources, API groups and resources; a binding refers to a Role or ClusterRole of the RBAC
 * group, and to subjects of a known kind.
 */
import { list, record, text, type Json } from '../problems';
import { oneOf, required, type Emit } from './emit';
import { dnsSubdomain } from './grammar';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

export function checkRole(o: Json, namespaced: boolean, emit: Emit): void {
  list(o.rules)
    .map(record)
    .forEach((rule, i) => {
      const rp = `rules[${i}]`;
      if (list(rule.verbs).length === 0) emit(`${rp}.verbs`, 'required: at least one verb');
      if (list(rule.nonResourceURLs).length > 0) {
        if (namespaced) emit(`${rp}.nonResourceURLs`, 'a Role (namespaced) cannot grant non-resource URLs');
        if (['apiGroups', 'resources', 'resourceNames'].some((f) => list(rule[f]).length > 0))
          emit(`${rp}.nonResourceURLs`, 'a rule cannot grant both resources and non-resource URLs');
        return;
      }
      if (list(rule.apiGroups).length === 0)
        emit(`${rp}.apiGroups`, 'required: at least one API group ("" is the core group)');
      if (list(rule.resources).length === 0) emit(`${rp}.resources`, 'required: at least one resource');
    });
}

export function checkBinding(o: Json, namespaced: boolean, emit: Emit): void {
  const ref = record(o.roleRef);
  oneOf(ref.apiGroup ?? '', [RBAC_GROUP], 'roleRef.apiGroup', emit);
  oneOf(ref.kind ?? '', namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'], 'roleRef.kind', emit);
  required(ref.name, 'roleRef.name', emit, (v) =>
    v === '.' || v === '..' || /[/%]/.test(v) ? `"${v}" is not a valid role name` : undefined,
  );
  list(o.subjects)
    .map(record)
    .forEach((s, i) => {
      const sp = `subjects[${i}]`;
      required(s.name, `${sp}.name`, emit);
      const kind = text(s.kind);
      if (kind === 'ServiceAccount') {
        if (text(s.name)) required(s.name, `${sp}.name`, emit, dnsSubdomain);
        if (text(s.apiGroup)) emit(`${sp}.apiGroup`, 'must be empty for a ServiceAccount');
        if (!namespaced && !text(s.namespace)) emit(`${sp}.namespace`, "required: the ServiceAccount's namespace");
      } else if (kind === 'User' || kind === 'Group') {
        if (s.apiGroup !== undefined && s.apiGroup !== RBAC_GROUP) emit(`${sp}.apiGroup`, `must be ${RBAC_GROUP}`);
      } else emit(`${sp}.kind`, 'must be one of ServiceAccount, User, Group');
    });
}
