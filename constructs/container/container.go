// Package container describes the containers of a Fargate task as typed Go
// values and renders them to the container-definitions JSON that ECS takes.
//
// The JSON is canonical: containers and environment variables sorted by name,
// no nulls or empty lists, and the values the ECS API echoes back filled in
// (essential, protocol "tcp", hostPort equal to containerPort, the health
// check's interval, timeout and retries), so that a plan after apply shows no
// change.
package container

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/fargatekit/fargatekit/internal/verify"

	"github.com/fargatekit/fargatekit/internal/tfx"
)

// Defaults applied to zero-valued fields.
const (
	// DefaultStopTimeout is how long a container has after SIGTERM before it
	// is killed. ECS's own default is 30 s; the maximum on Fargate is 120 s.
	DefaultStopTimeout      = 30 * time.Second
	MaxStopTimeout          = 120 * time.Second
	DefaultHealthInterval   = 30 * time.Second
	DefaultHealthTimeout    = 5 * time.Second
	DefaultHealthRetries    = 3
	DefaultHealthStartDelay = 0 * time.Second
)

// Definition is one container of a task.
type Definition struct {
	// Name of the container, unique in the task. Required.
	Name string
	// Image to run, e.g. "nginx:1.27" or an ECR image URI; pin a tag or a
	// digest rather than :latest. Required.
	Image string
	// ImageRepositoryARN is the ARN of the ECR repository of an Image given
	// as a token (e.g. "${aws_ecr_repository.app.repository_url}:1.4.2" from
	// a repository created in the same app): with it, the service's
	// execution role may pull from that repository alone. Without it the
	// repository of a token image is unknown until apply, and the role may
	// pull from every ECR repository of the account in the service's region
	// ("repository/*"). It may itself be a token (the repository's arn). For
	// a literal ECR image URI the repository is read from the URI and this
	// must be empty; service.New reads it and emits nothing for it.
	ImageRepositoryARN string
	// Command and EntryPoint override the image's CMD and ENTRYPOINT.
	Command    []string
	EntryPoint []string
	// PortMappings the container listens on; hostPort always equals
	// containerPort (awsvpc mode).
	PortMappings []PortMapping
	// Environment holds plain, non-secret variables. Values are passed
	// literally (a "${X}" is not interpolated by Terraform). Names that end
	// in a credential word (DB_PASSWORD, GITHUB_TOKEN, STRIPE_API_KEY, …) and
	// values that look like credentials are refused: use Secrets. Names that
	// merely contain such a word (MAX_TOKENS, PASSWORD_MIN_LENGTH) pass.
	Environment map[string]string
	// NotCredentials lists Environment names that the credential heuristic
	// flags but that hold no credential (e.g. "CSRF_TOKEN" naming a header):
	// they are accepted as plain variables. Each must be a key of
	// Environment. Values that look like credentials are still refused.
	NotCredentials []string
	// Secrets maps a variable name to where its value comes from: a Secrets
	// Manager secret (container.SecretsManager, or one JSON key of it with
	// container.SecretsManagerJSONKey) or an SSM parameter
	// (container.SSMParameter). The execution role is granted read access
	// to exactly those secrets and parameters. See secret.go.
	Secrets map[string]Secret
	// HealthCheck runs inside the container; nil means none.
	HealthCheck *HealthCheck
	// StopTimeout is the grace period after SIGTERM, 2 s to 120 s.
	// If zero, DefaultStopTimeout.
	StopTimeout time.Duration
	// WritableRootFilesystem lets the container write to its root filesystem.
	// Leave it false (Security Hub ECS.5) unless the image needs it, e.g. for
	// ECS Exec.
	WritableRootFilesystem bool
	// NonEssential lets the task keep running when this container stops
	// (sidecars). By default every container is essential.
	NonEssential bool
	// CPU units and Memory / MemoryReservation MiB reserved for this container
	// within the task's size; zero leaves them unset.
	CPU               int
	Memory            int
	MemoryReservation int
	// User and WorkingDirectory override the image's.
	User             string
	WorkingDirectory string
	// ScratchPaths are absolute paths that get a writable, task-local volume
	// (deleted with the task) while the root filesystem stays read-only:
	// /tmp, caches, pid files. nginx, for example, needs /var/cache/nginx and
	// /var/run.
	ScratchPaths []string
	// DependsOn orders the start of the task's containers: this container
	// starts only when each named container has reached its Condition (an
	// init container that must succeed, a sidecar that must be healthy).
	// Empty means no ordering. See dependson.go.
	DependsOn []Dependency
}

// PortMapping is a port the container listens on.
type PortMapping struct {
	ContainerPort int
	// Protocol is "tcp" (the default when empty) or "udp".
	Protocol string
	// Name names the port for ECS Service Connect (service.ServiceConnect
	// serves ports by name): 1-64 lowercase letters, digits, underscores and
	// hyphens, not starting with a hyphen, unique in the task. Empty leaves
	// the port unnamed.
	Name string
	// AppProtocol tells the Service Connect proxy what the port speaks:
	// "http", "http2" or "grpc" (it then reports per-request metrics and
	// retries idempotent requests); empty means plain TCP. It needs Name.
	AppProtocol string
}

// appProtocols are the values PortMapping.AppProtocol takes (ECS
// PortMapping.appProtocol).
var appProtocols = []string{"http", "http2", "grpc"}

// AppProtocols returns the values PortMapping.AppProtocol takes. It is a copy: changing it changes no check.
func AppProtocols() []string { return slices.Clone(appProtocols) }

// HealthCheck is a container health check. Command is in Docker's form:
// ["CMD-SHELL", "curl -f http://localhost/ || exit 1"] or ["CMD", "bin", …].
type HealthCheck struct {
	Command []string
	// Interval 5 s-300 s, Timeout 2 s-60 s, Retries 1-10, StartPeriod 0-300 s;
	// zero means the Default constants.
	Interval    time.Duration
	Timeout     time.Duration
	Retries     int
	StartPeriod time.Duration
}

// Logging is the awslogs configuration every container gets.
type Logging struct {
	Group        string
	Region       string
	StreamPrefix string
}

// The JSON shape ECS takes. Field order does not matter to ECS; encoding/json
// writes struct fields in this order and map keys sorted.
type jsonContainer struct {
	Command                []string          `json:"command,omitempty"`
	Cpu                    int               `json:"cpu,omitempty"`
	DependsOn              []jsonDependency  `json:"dependsOn,omitempty"`
	EntryPoint             []string          `json:"entryPoint,omitempty"`
	Environment            []nameValue       `json:"environment,omitempty"`
	Essential              bool              `json:"essential"`
	HealthCheck            *jsonHealthCheck  `json:"healthCheck,omitempty"`
	Image                  string            `json:"image"`
	LogConfiguration       *jsonLogConfig    `json:"logConfiguration,omitempty"`
	Memory                 int               `json:"memory,omitempty"`
	MemoryReservation      int               `json:"memoryReservation,omitempty"`
	MountPoints            []jsonMountPoint  `json:"mountPoints,omitempty"`
	Name                   string            `json:"name"`
	PortMappings           []jsonPortMapping `json:"portMappings,omitempty"`
	ReadonlyRootFilesystem bool              `json:"readonlyRootFilesystem"`
	Secrets                []nameValueFrom   `json:"secrets,omitempty"`
	StopTimeout            int               `json:"stopTimeout"`
	User                   string            `json:"user,omitempty"`
	WorkingDirectory       string            `json:"workingDirectory,omitempty"`
}

type nameValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type nameValueFrom struct {
	Name      string `json:"name"`
	ValueFrom string `json:"valueFrom"`
}

type jsonHealthCheck struct {
	Command     []string `json:"command"`
	Interval    int      `json:"interval"`
	Retries     int      `json:"retries"`
	StartPeriod int      `json:"startPeriod,omitempty"`
	Timeout     int      `json:"timeout"`
}

type jsonLogConfig struct {
	LogDriver string            `json:"logDriver"`
	Options   map[string]string `json:"options"`
}

type jsonMountPoint struct {
	ContainerPath string `json:"containerPath"`
	ReadOnly      bool   `json:"readOnly"`
	SourceVolume  string `json:"sourceVolume"`
}

type jsonPortMapping struct {
	ContainerPort int    `json:"containerPort"`
	HostPort      int    `json:"hostPort"`
	Name          string `json:"name,omitempty"`
	AppProtocol   string `json:"appProtocol,omitempty"`
	Protocol      string `json:"protocol"`
}

var (
	nameRE     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$`)
	imageRE    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._/:@+-]{0,254}$`)
	envNameRE  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,254}$`)
	portNameRE = regexp.MustCompile(`^[a-z0-9_][a-z0-9_-]{0,63}$`)
	scratchRE  = regexp.MustCompile(`^/[A-Za-z0-9._/-]{0,254}$`)
	userRE     = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}(:[A-Za-z0-9_.-]{1,64})?$`)
	// Names that hold credentials by convention (Security Hub ECS.8): the
	// last word of the name (words split at "_", "-" and camelCase) is a
	// credential noun, or the last two form one (API_KEY, ACCESS_KEY).
	// MAX_TOKENS, TOKENIZERS_PARALLELISM, PASSWORD_MIN_LENGTH and SECRETS_DIR
	// end in another word and pass; DB_PASSWORD_FILE names a file and passes.
	secretNameRE = regexp.MustCompile(`(?i)(^|_)(PASSWORD|PASSWD|PASS|PASSPHRASE|SECRET|CLIENT_?SECRET|TOKEN|API_?KEY|APIKEY|ACCESS_?KEY|SECRET_?KEY|PRIVATE_?KEY|SIGNING_?KEY|ENCRYPTION_?KEY|MASTER_?KEY|AUTH_?KEY|CREDENTIALS?|CONNECTION_?STRING)$`)
	camelRE      = regexp.MustCompile(`([a-z0-9])([A-Z])`)
	pathSepRE    = regexp.MustCompile(`[-.]`)
	// Values that look like credentials whatever their name.
	secretValueREs = []*regexp.Regexp{
		regexp.MustCompile(`\b(AKIA|ASIA)[0-9A-Z]{16}\b`),                  // AWS access key id
		regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----`),           // PEM private key
		regexp.MustCompile(`\b(ghp|gho|ghs|github_pat)_[A-Za-z0-9_]{20,}`), // GitHub tokens
		regexp.MustCompile(`\bxox[abposr]-[A-Za-z0-9-]{10,}`),              // Slack tokens
		regexp.MustCompile(`://[^/\s:@]+:[^/\s@]+@`),                       // password in a URL
	}
)

// checkDefinitions records a problem for every invalid field of defs. field names the
// slice, e.g. "Service.Containers".
func checkDefinitions(c *verify.Checker, field string, defs []Definition) {
	if len(defs) == 0 {
		c.Add(field, "[]", "a task needs at least one container")
	}
	if len(defs) > 10 {
		c.Add(field, fmt.Sprintf("%d containers", len(defs)), "a Fargate task may have at most 10 containers")
	}
	names := map[string]int{}
	essential := false
	taskPorts := map[string]portOwner{}
	portNames := map[string]string{}
	for i, d := range defs {
		f := fmt.Sprintf("%s[%d]", field, i)
		if !nameRE.MatchString(d.Name) {
			c.Add(f+".Name", d.Name, "must be 1-255 letters, digits, hyphens or underscores, starting with a letter or digit")
		} else if j, dup := names[d.Name]; dup {
			c.Add(f+".Name", d.Name, "duplicates the name of %s[%d]: container names must be unique in a task", field, j)
		} else {
			names[d.Name] = i
		}
		if !d.NonEssential {
			essential = true
		}
		if d.Image == "" {
			c.Add(f+".Image", d.Image, `is required: an image reference such as "nginx:1.27" or an ECR URI`)
		} else {
			c.Pattern(f+".Image", d.Image, imageRE, "must be an image reference (registry/repository:tag or @sha256:digest) without spaces or quotes")
		}
		checkArgs(c, f+".Command", d.Command)
		checkArgs(c, f+".EntryPoint", d.EntryPoint)
		ports := map[string]bool{}
		for j, pm := range d.PortMappings {
			key := fmt.Sprintf("%d/%s", pm.ContainerPort, protocol(pm))
			if other, ok := taskPorts[key]; ok && other.container != i {
				// awsvpc: the containers of a task share one network
				// namespace, so a port can be bound once per task.
				c.Add(fmt.Sprintf("%s.PortMappings[%d].ContainerPort", f, j), pm.ContainerPort, "is also mapped by container %q (%s): containers of an awsvpc task share one network interface, so each port/protocol is mapped once per task (ECS task definition parameters, Network mode)", defs[other.container].Name, other.field)
			} else if !ok {
				taskPorts[key] = portOwner{i, fmt.Sprintf("PortMappings[%d]", j)}
			}
			pf := fmt.Sprintf("%s.PortMappings[%d]", f, j)
			c.Port(pf+".ContainerPort", pm.ContainerPort)
			if pm.Protocol != "" && pm.Protocol != "tcp" && pm.Protocol != "udp" {
				c.Add(pf+".Protocol", pm.Protocol, `must be "tcp" (the default) or "udp"`)
			}
			if ports[key] {
				c.Add(pf+".ContainerPort", pm.ContainerPort, "is mapped twice")
			}
			ports[key] = true
			if pm.Name != "" {
				if !portNameRE.MatchString(pm.Name) {
					c.Add(pf+".Name", pm.Name, "must be 1-64 lowercase letters, digits, underscores or hyphens, not starting with a hyphen (ECS PortMapping.name)")
				} else if other, dup := portNames[pm.Name]; dup {
					c.Add(pf+".Name", pm.Name, "also names %s: Service Connect finds a port by its name, so a name is used once per task", other)
				} else {
					portNames[pm.Name] = fmt.Sprintf("container %q's PortMappings[%d]", d.Name, j)
				}
			}
			switch {
			case pm.AppProtocol == "":
			case !slices.Contains(appProtocols, pm.AppProtocol):
				c.Add(pf+".AppProtocol", pm.AppProtocol, `must be "http", "http2", "grpc" or empty (plain TCP)`)
			case pm.Name == "":
				c.Add(pf+".AppProtocol", pm.AppProtocol, "needs the port's Name: ECS accepts appProtocol only on a named port mapping (it is for Service Connect)")
			case protocol(pm) != "tcp":
				c.Add(pf+".AppProtocol", pm.AppProtocol, "needs Protocol tcp: http, http2 and grpc run over TCP")
			}
		}
		for _, k := range slices.Sorted(maps.Keys(d.Environment)) {
			v := d.Environment[k]
			ef := fmt.Sprintf("%s.Environment[%q]", f, k)
			switch {
			case !envNameRE.MatchString(k):
				c.Add(ef, k, "variable names must be letters, digits and underscores, not starting with a digit")
			case looksCredentialName(k) && !slices.Contains(d.NotCredentials, k):
				c.Add(ef, redact(v), "looks like a credential (Security Hub ECS.8): pass it through Secrets with a Secrets Manager or SSM ARN instead of a plain environment variable")
			case looksSecret(v):
				c.Add(ef, redact(v), "the value looks like a credential (Security Hub ECS.8): pass it through Secrets with a Secrets Manager or SSM ARN")
			case strings.ContainsRune(v, 0):
				c.Add(ef, v, "must not contain NUL bytes")
			}
			if _, dup := d.Secrets[k]; dup {
				c.Add(ef, k, "is also set in Secrets: a variable comes from one place")
			}
		}
		for j, k := range d.NotCredentials {
			if _, ok := d.Environment[k]; !ok {
				c.Add(fmt.Sprintf("%s.NotCredentials[%d]", f, j), k, "names no Environment variable: list only names of Environment that the credential check refuses wrongly")
			}
		}
		for _, k := range slices.Sorted(maps.Keys(d.Secrets)) {
			sf := fmt.Sprintf("%s.Secrets[%q]", f, k)
			if !envNameRE.MatchString(k) {
				c.Add(sf, k, "variable names must be letters, digits and underscores, not starting with a digit")
			}
			// The ARN reaches Terraform as it is: checkSecret refuses
			// "${…}" in any part rather than let Terraform evaluate it.
			checkSecret(c, sf, d.Secrets[k])
		}
		if hc := d.HealthCheck; hc != nil {
			hf := f + ".HealthCheck"
			if len(hc.Command) < 2 || (hc.Command[0] != "CMD" && hc.Command[0] != "CMD-SHELL") {
				c.Add(hf+".Command", hc.Command, `must start with "CMD" or "CMD-SHELL" followed by the command`)
			}
			checkArgs(c, hf+".Command", hc.Command)
			iv, to := orDefault(hc.Interval, DefaultHealthInterval), orDefault(hc.Timeout, DefaultHealthTimeout)
			okI := c.Seconds(hf+".Interval", iv, 5, 300)
			okT := c.Seconds(hf+".Timeout", to, 2, 60)
			if okI && okT && to >= iv {
				c.Add(hf+".Timeout", to.String(), "must be shorter than Interval (%s)", iv)
			}
			if hc.Retries != 0 {
				c.Range(hf+".Retries", hc.Retries, 1, 10)
			}
			c.Seconds(hf+".StartPeriod", hc.StartPeriod, 0, 300)
		}
		c.Seconds(f+".StopTimeout", orDefault(d.StopTimeout, DefaultStopTimeout), 2, int(MaxStopTimeout/time.Second))
		if d.CPU != 0 {
			c.Range(f+".CPU", d.CPU, 0, 16384)
		}
		if d.Memory != 0 {
			c.Range(f+".Memory", d.Memory, 6, 122880)
		}
		if d.MemoryReservation != 0 {
			c.Range(f+".MemoryReservation", d.MemoryReservation, 6, 122880)
			if d.Memory != 0 && d.MemoryReservation > d.Memory {
				c.Add(f+".MemoryReservation", d.MemoryReservation, "must not exceed Memory (%d)", d.Memory)
			}
		}
		if d.User != "" {
			c.Pattern(f+".User", d.User, userRE, `must be "user", "uid", "user:group" or "uid:gid"`)
		}
		paths := map[string]bool{}
		for j, p := range d.ScratchPaths {
			pf := fmt.Sprintf("%s.ScratchPaths[%d]", f, j)
			switch {
			case !scratchRE.MatchString(p) || strings.Contains(p, "/../") || strings.HasSuffix(p, "/.."):
				c.Add(pf, p, "must be an absolute path of letters, digits and . _ - / (no ..)")
			case p == "/":
				c.Add(pf, p, "cannot be the root itself: set WritableRootFilesystem instead")
			case paths[p]:
				c.Add(pf, p, "is listed twice")
			}
			paths[p] = true
		}
		if d.WorkingDirectory != "" && (!strings.HasPrefix(d.WorkingDirectory, "/") || strings.ContainsFunc(d.WorkingDirectory, isControl)) {
			c.Add(f+".WorkingDirectory", d.WorkingDirectory, "must be an absolute path without control characters")
		}
	}
	checkDependsOn(c, field, defs)
	if len(defs) > 0 && !essential {
		c.Add(field, fmt.Sprintf("%d containers, all NonEssential", len(defs)), "at least one container must be essential")
	}
}

// Validate checks a task's container definitions as service.New does: each
// definition's fields, names unique in the task, the start order, no
// credentials in plain environment variables, typed secrets. It returns a
// *propcheck.Error whose fields are relative to the slice
// ("[0].Environment[\"DB_PASSWORD\"]"), or nil.
func Validate(defs []Definition) error {
	c := verify.New("container.Validate")
	checkDefinitions(c, "", defs)
	return c.Err()
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

type portOwner struct {
	container int
	field     string
}

// looksCredentialName reports whether an environment variable name ends in
// a credential word (see secretNameRE); camelCase and "-" or "." count as
// word breaks.
func looksCredentialName(name string) bool {
	n := camelRE.ReplaceAllString(name, "${1}_${2}")
	n = pathSepRE.ReplaceAllString(n, "_")
	return secretNameRE.MatchString(n)
}

// MaxDefinitionsBytes is the size limit this library holds the container
// definitions to: the whole task definition may be at most 64 KiB ("Task
// definition size", Amazon ECS service quotas), and the container
// definitions are nearly all of it; 1 KiB is left for the task's other
// fields.
const MaxDefinitionsBytes = 63 * 1024

// checkSize records a problem when the rendered container definitions exceed
// MaxDefinitionsBytes.
func checkSize(c *verify.Checker, field string, defs []Definition, log Logging) {
	if n := len(JSON(defs, log)); n > MaxDefinitionsBytes {
		c.Add(field, fmt.Sprintf("%d bytes of container definitions", n), "a task definition may be at most 64 KiB (Amazon ECS service quotas, Task definition size); keep the container definitions under %d bytes: move large values to Secrets, SSM parameters or files in the image", MaxDefinitionsBytes)
	}
}

// ValidateSize checks that the container definitions, written with log as
// JSON(defs, log) writes them, fit in a task definition (MaxDefinitionsBytes).
func ValidateSize(defs []Definition, log Logging) error {
	c := verify.New("container.ValidateSize")
	checkSize(c, "", defs, log)
	return c.Err()
}

// ecrImageRE matches an image in a private ECR repository; its groups are
// the account, "-fips", the region, ".cn", the repository and the tag or
// digest.
var ecrImageRE = regexp.MustCompile(`^([0-9]{12})\.dkr\.ecr(-fips)?\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?/([a-z0-9._/-]+)([:@].*)?$`)

// ECRImage is an image in a private ECR repository, as [ParseECRImage]
// reads it from an image URI.
type ECRImage struct {
	AccountID  string
	Region     string
	Repository string
}

// ParseECRImage reads the account, region and repository of an image URI
// of a private ECR repository
// (ACCOUNT.dkr.ecr[-fips].REGION.amazonaws.com[.cn]/REPOSITORY[:TAG|@DIGEST]);
// ok is false for any other image.
func ParseECRImage(image string) (img ECRImage, ok bool) {
	m := ecrImageRE.FindStringSubmatch(image)
	if m == nil {
		return ECRImage{}, false
	}
	return ECRImage{AccountID: m[1], Region: m[3], Repository: m[5]}, true
}

func FromECR(image string) bool { return verify.IsToken(image) || ecrImageRE.MatchString(image) }

func checkArgs(c *verify.Checker, field string, args []string) {
	for i, a := range args {
		if strings.ContainsRune(a, 0) {
			c.Add(fmt.Sprintf("%s[%d]", field, i), a, "must not contain NUL bytes")
		}
	}
}

func looksSecret(v string) bool {
	for _, re := range secretValueREs {
		if re.MatchString(v) {
			return true
		}
	}
	return false
}

// redact keeps a value that looks like a secret out of error messages and logs.
func redact(v string) string {
	if len(v) <= 4 {
		return "****"
	}
	return v[:2] + "****"
}

func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

func protocol(pm PortMapping) string {
	if pm.Protocol == "" {
		return "tcp"
	}
	return pm.Protocol
}

// JSON renders defs, which must have passed [checkDefinitions], as the canonical
// container-definitions document. Every user string is escaped with
// verify.Literal, so that Terraform passes "${…}" and "%{…}" through
// literally.
func JSON(defs []Definition, log Logging) string {
	out := make([]jsonContainer, 0, len(defs))
	for _, d := range defs {
		jc := jsonContainer{
			Command:                literals(d.Command),
			Cpu:                    d.CPU,
			DependsOn:              dependsOnJSON(d.DependsOn),
			EntryPoint:             literals(d.EntryPoint),
			Essential:              !d.NonEssential,
			Image:                  verify.Literal(d.Image),
			Memory:                 d.Memory,
			MemoryReservation:      d.MemoryReservation,
			Name:                   d.Name,
			ReadonlyRootFilesystem: !d.WritableRootFilesystem,
			StopTimeout:            int(orDefault(d.StopTimeout, DefaultStopTimeout) / time.Second),
			User:                   d.User,
			WorkingDirectory:       verify.Literal(d.WorkingDirectory),
			LogConfiguration: &jsonLogConfig{
				LogDriver: "awslogs",
				Options: map[string]string{
					"awslogs-group":         log.Group,
					"awslogs-region":        log.Region,
					"awslogs-stream-prefix": log.StreamPrefix,
				},
			},
		}
		for j, p := range d.ScratchPaths {
			jc.MountPoints = append(jc.MountPoints, jsonMountPoint{ContainerPath: p, SourceVolume: ScratchVolumeName(d.Name, j)})
		}
		for _, k := range slices.Sorted(maps.Keys(d.Environment)) {
			jc.Environment = append(jc.Environment, nameValue{Name: k, Value: verify.Literal(d.Environment[k])})
		}
		for _, k := range slices.Sorted(maps.Keys(d.Secrets)) {
			jc.Secrets = append(jc.Secrets, nameValueFrom{Name: k, ValueFrom: d.Secrets[k].ValueFrom()})
		}
		for _, pm := range d.PortMappings {
			jc.PortMappings = append(jc.PortMappings, jsonPortMapping{
				ContainerPort: pm.ContainerPort,
				HostPort:      pm.ContainerPort,
				Name:          pm.Name,
				AppProtocol:   pm.AppProtocol,
				Protocol:      protocol(pm),
			})
		}
		if hc := d.HealthCheck; hc != nil {
			retries := hc.Retries
			if retries == 0 {
				retries = DefaultHealthRetries
			}
			jc.HealthCheck = &jsonHealthCheck{
				Command:     literals(hc.Command),
				Interval:    int(orDefault(hc.Interval, DefaultHealthInterval) / time.Second),
				Timeout:     int(orDefault(hc.Timeout, DefaultHealthTimeout) / time.Second),
				Retries:     retries,
				StartPeriod: int(hc.StartPeriod / time.Second),
			}
		}
		out = append(out, jc)
	}
	slices.SortFunc(out, func(a, b jsonContainer) int { return strings.Compare(a.Name, b.Name) })
	return tfx.JSON(out)
}

// ScratchVolumeName names the task volume behind ScratchPaths[i] of the
// container named containerName.
func ScratchVolumeName(containerName string, i int) string {
	return fmt.Sprintf("%s-scratch-%d", containerName, i)
}

// ScratchVolumes lists the task volumes that defs' ScratchPaths need.
func ScratchVolumes(defs []Definition) []string {
	var out []string
	for _, d := range defs {
		for i := range d.ScratchPaths {
			out = append(out, ScratchVolumeName(d.Name, i))
		}
	}
	return out
}

func literals(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = verify.Literal(s)
	}
	return out
}
