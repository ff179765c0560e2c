# -*- coding: utf-8 -*-
# Copyright: (c) 2026, tencentcloud.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # Options shared by every module and plugin. Modules read the environment variables named here on the host they
    # run on; plugins declare them through the PLUGINS part below, next to their variables.
    DOCUMENTATION = r'''
options:
  secret_id:
    description:
      - The SecretId of a Tencent Cloud API key.
      - Credentials come from the first source that has them, in this order - options; variables (lookup only); the
        profile named by O(profile); the environment variables E(TENCENTCLOUD_SECRET_ID), E(TENCENTCLOUD_SECRET_KEY),
        E(TENCENTCLOUD_SECURITY_TOKEN) (or E(TENCENTCLOUD_TOKEN)); the C(default) profile; TKE OIDC (in a pod
        where TKE sets E(TKE_PROVIDER_ID), E(TKE_WEB_IDENTITY_TOKEN_FILE), E(TKE_ROLE_ARN) and E(TKE_REGION)); the CVM
        instance role. An ID, key and token are always taken together from one source.
      - The chain, the profile files and every source are described in the collection's user guide, chapter
        "Credentials".
    type: str
  secret_key:
    description:
      - The SecretKey that belongs to O(secret_id). Never logged or returned.
    type: str
  security_token:
    description:
      - The token of temporary credentials (STS or an instance role), sent as C(X-TC-Token).
      - Read from the same source as O(secret_id).
    type: str
  region:
    description:
      - The region to query, for example C(ap-guangzhou). The modules and the lookup need one, from this option or a
        place named below (or, where they take it, C(regions)); the inventory and the event source read every region
        the account can use when none is found.
      - Read from E(TENCENTCLOUD_REGION) when not set, else from the region C(tccli configure) stored for the
        profile (C(_sys_param.region) in C(<profile>.configure)).
    type: str
  profile:
    description:
      - A named profile, which then wins over the environment keys. Looked up in the INI credentials file
        (E(TENCENTCLOUD_CREDENTIALS_FILE), else C(~/.tencentcloud/credentials), else
        C(/etc/tencentcloud/credentials)), section C([<profile>]) with C(secret_id), C(secret_key) and optionally
        C(token); else in tccli's C(<profile>.credential) in E(TENCENTCLOUD_SHARED_CREDENTIALS_DIR) or
        C(~/.tccli). When both have the profile, the INI file wins.
      - When not set, the C(default) profile is tried after the environment keys.
      - Read from E(TENCENTCLOUD_PROFILE) when not set.
    type: str
  cam_role_name:
    description:
      - The CAM role of the CVM instance to take credentials from, through the instance metadata service. When not
        set, the role the metadata service names is used.
      - The instance role is the last source of the chain; the metadata service is reached at
        E(TENCENTCLOUD_METADATA_ENDPOINT) if set, else V(http://metadata.tencentyun.com), with a one-second probe.
      - Read from E(TENCENTCLOUD_CAM_ROLE_NAME) when not set.
    type: str
  assume_role_arn:
    description:
      - A role to assume with STS C(AssumeRole), using the credentials the chain found, for example
        V(qcs::cam::uin/100000000001:roleName/deploy). One C(AssumeRole) per task, lookup call, inventory source or
        event source; the temporary credentials are renewed before they expire.
      - Read from E(TENCENTCLOUD_ASSUME_ROLE_ARN) when not set.
    type: str
  assume_role_session_name:
    description:
      - The session name of O(assume_role_arn) (and of TKE OIDC), 2 to 128 characters. Defaults to
        C(ansible-tencentcloud-) and the Unix time.
      - Read from E(TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME) when not set.
    type: str
  assume_role_duration:
    description:
      - Seconds the assumed role's credentials live, from 1 to 43200.
      - Read from E(TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION) when not set.
    type: int
    default: 7200
  assume_role_external_id:
    description:
      - The external ID the role's trust policy requires, if any. Never logged or returned.
      - Read from E(TENCENTCLOUD_ASSUME_ROLE_EXTERNAL_ID) when not set.
    type: str
  assume_role_policy:
    description:
      - A policy document (JSON) that narrows what the assumed role's session may do.
    type: str
  sts_endpoint:
    description:
      - The STS endpoint for O(assume_role_arn) and TKE OIDC, by the same rules as O(endpoint).
      - Read from E(TENCENTCLOUD_STS_ENDPOINT) when not set.
    type: str
    default: sts.tencentcloudapi.com
  endpoint:
    description:
      - The CVM API endpoint. A bare host means HTTPS; a URL V(http://host:port) or V(https://host:port) is used as
        given, without a path (requests always go to C(/)).
      - Use V(cvm.intl.tencentcloudapi.com) for the international site and V(cvm.<region>.tencentcloudapi.com) for a
        regional endpoint.
      - Read from E(TENCENTCLOUD_CVM_ENDPOINT) when not set.
    type: str
    default: cvm.tencentcloudapi.com
  validate_certs:
    description:
      - Whether to verify the endpoint's TLS certificate. Only turn this off against a local test endpoint.
    type: bool
    default: true
  ca_bundle:
    description:
      - A file of PEM certificates to verify the endpoint's certificate with, instead of the system's bundle; for
        a TLS-inspecting proxy or a private endpoint signed by your own authority.
      - When not set, E(REQUESTS_CA_BUNDLE) or E(CURL_CA_BUNDLE) is used if set.
    type: path
  request_timeout:
    description:
      - Seconds one HTTP exchange may take as a whole - connecting, sending, and reading the whole answer. An
        endpoint that answers a byte at a time is cut off when they run out.
      - From 0.1 to 600.
    type: float
    default: 10
  max_retries:
    description:
      - How many times to retry one call on throttling and transient faults (internal errors, HTTP 5xx, connection
        failures, timeouts, unreadable answers), with capped exponential backoff and full jitter.
      - Errors that cannot go away by themselves, such as C(AuthFailure) or a malformed parameter, are never retried,
        nor is a redirect (C(UnexpectedRedirect)), which is never followed.
      - From 0 to 30. A read without waiting takes at most (O(max_retries) + 1) times O(request_timeout), plus the
        backoff between attempts.
    type: int
    default: 5
  language:
    description:
      - The language of the API's error messages, sent as C(X-TC-Language).
    type: str
    choices: [en-US, zh-CN]
    default: en-US
notes:
  - How requests are signed, paced across forks and guarded against an untrusted endpoint, and how instance text is
    kept as data, is the same for every plugin - see the collection's Design and security page (C(docs/design.md)).
    Proxies come from E(HTTPS_PROXY), E(HTTP_PROXY), E(ALL_PROXY) and E(NO_PROXY), as everywhere; surrounding
    whitespace is removed from the credentials.
requirements:
  - requests
'''

    PLUGINS = r'''
options:
  secret_id:
    env:
      - name: TENCENTCLOUD_SECRET_ID
  secret_key:
    env:
      - name: TENCENTCLOUD_SECRET_KEY
  security_token:
    env:
      - name: TENCENTCLOUD_SECURITY_TOKEN
      - name: TENCENTCLOUD_TOKEN
  region:
    env:
      - name: TENCENTCLOUD_REGION
  profile:
    env:
      - name: TENCENTCLOUD_PROFILE
  cam_role_name:
    env:
      - name: TENCENTCLOUD_CAM_ROLE_NAME
  assume_role_arn:
    env:
      - name: TENCENTCLOUD_ASSUME_ROLE_ARN
  assume_role_session_name:
    env:
      - name: TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME
  assume_role_duration:
    env:
      - name: TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION
  assume_role_external_id:
    env:
      - name: TENCENTCLOUD_ASSUME_ROLE_EXTERNAL_ID
  sts_endpoint:
    env:
      - name: TENCENTCLOUD_STS_ENDPOINT
  endpoint:
    env:
      - name: TENCENTCLOUD_CVM_ENDPOINT
'''

    # The lookup's variables (tencentcloud_secret_id...); an inventory source takes its options from its file.
    VARIABLES = r'''
options:
  secret_id:
    vars:
      - name: tencentcloud_secret_id
  secret_key:
    vars:
      - name: tencentcloud_secret_key
  security_token:
    vars:
      - name: tencentcloud_security_token
  region:
    vars:
      - name: tencentcloud_region
  profile:
    vars:
      - name: tencentcloud_profile
  assume_role_arn:
    vars:
      - name: tencentcloud_assume_role_arn
  endpoint:
    vars:
      - name: tencentcloud_cvm_endpoint
'''
