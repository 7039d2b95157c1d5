// Command plaingo synthesizes the benchmark stack written directly against
// the CDKTF Go bindings, without the fargatekit library. It is the Go
// baseline of the synth benchmark (see bench/README.md) and must produce the
// same resource types and counts as bench/js/main.js.
//
//	plaingo -n N -out DIR
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/appautoscalingpolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/appautoscalingtarget"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchloggroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsavailabilityzones"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawscalleridentity"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawspartition"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecscluster"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecsclustercapacityproviders"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecsservice"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecstaskdefinition"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/eip"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/internetgateway"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lb"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lblistener"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lblistenerrule"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lbtargetgroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/natgateway"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/route"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/routetable"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/routetableassociation"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/subnet"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpc"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupegressrule"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"
)

const (
	region  = "us-east-1"
	azCount = 2
)

func main() {
	n := flag.Int("n", 1, "number of services")
	out := flag.String("out", "cdktf.out", "synth output directory")
	flag.Parse()
	if *n < 1 {
		log.Fatalf("-n must be >= 1, got %d", *n)
	}

	defer jsii.Close()
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(*out)})
	newStack(app, "fargatekit", *n)
	app.Synth()
}

func mustJSON(v any) *string {
	b, err := json.Marshal(v)
	if err != nil {
		log.Fatal(err)
	}
	return jsii.String(string(b))
}

// The policy and container documents are structs rather than maps so that
// their keys keep the same order as the JS peer's JSON.stringify output, which
// makes the two programs' cdk.tf.json comparable byte for byte.
type policyDocument struct {
	Version   string            `json:"Version"`
	Statement []policyStatement `json:"Statement"`
}

type policyStatement struct {
	Effect    string            `json:"Effect"`
	Principal map[string]string `json:"Principal,omitempty"`
	Action    any               `json:"Action"`
	Resource  string            `json:"Resource,omitempty"`
}

type containerDefinition struct {
	Name             string           `json:"name"`
	Image            string           `json:"image"`
	Essential        bool             `json:"essential"`
	PortMappings     []portMapping    `json:"portMappings"`
	LogConfiguration logConfiguration `json:"logConfiguration"`
}

type portMapping struct {
	ContainerPort int    `json:"containerPort"`
	Protocol      string `json:"protocol"`
}

type logConfiguration struct {
	LogDriver string     `json:"logDriver"`
	Options   logOptions `json:"options"`
}

type logOptions struct {
	Group        string `json:"awslogs-group"`
	Region       string `json:"awslogs-region"`
	StreamPrefix string `json:"awslogs-stream-prefix"`
}

func trustPolicy() *string {
	return mustJSON(policyDocument{
		Version: "2012-10-17",
		Statement: []policyStatement{{
			Effect:    "Allow",
			Principal: map[string]string{"Service": "ecs-tasks.amazonaws.com"},
			Action:    "sts:AssumeRole",
		}},
	})
}

func newStack(scope constructs.Construct, id string, n int) cdktf.TerraformStack {
	stack := cdktf.NewTerraformStack(scope, jsii.String(id))

	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{
		Region: jsii.String(region),
		DefaultTags: []provider.AwsProviderDefaultTags{{
			Tags: &map[string]*string{"ManagedBy": jsii.String("fargatekit")},
		}},
	})
	stack.AddOverride(jsii.String("terraform.required_providers.aws.version"), jsii.String(">= 5.84.0, < 6.0.0"))
	cdktf.NewLocalBackend(stack, &cdktf.LocalBackendConfig{Path: jsii.String("terraform.tfstate")})

	azs := dataawsavailabilityzones.NewDataAwsAvailabilityZones(stack, jsii.String("azs"),
		&dataawsavailabilityzones.DataAwsAvailabilityZonesConfig{State: jsii.String("available")})
	dataawscalleridentity.NewDataAwsCallerIdentity(stack, jsii.String("caller"), nil)
	dataawspartition.NewDataAwsPartition(stack, jsii.String("partition"), nil)

	// Network: VPC, IGW, public + private subnets, one NAT gateway per AZ.
	v := vpc.NewVpc(stack, jsii.String("vpc"), &vpc.VpcConfig{
		CidrBlock:          jsii.String("10.0.0.0/16"),
		EnableDnsSupport:   jsii.Bool(true),
		EnableDnsHostnames: jsii.Bool(true),
		Tags:               &map[string]*string{"Name": jsii.String("fargatekit")},
	})
	igw := internetgateway.NewInternetGateway(stack, jsii.String("igw"),
		&internetgateway.InternetGatewayConfig{VpcId: v.Id()})

	publicRt := routetable.NewRouteTable(stack, jsii.String("public-rt"), &routetable.RouteTableConfig{VpcId: v.Id()})
	route.NewRoute(stack, jsii.String("public-default"), &route.RouteConfig{
		RouteTableId:         publicRt.Id(),
		DestinationCidrBlock: jsii.String("0.0.0.0/0"),
		GatewayId:            igw.Id(),
	})

	var publicSubnets, privateSubnets []*string
	for az := 0; az < azCount; az++ {
		azName := cdktf.Token_AsString(cdktf.Fn_Element(azs.Names(), jsii.Number(az)), nil)
		pub := subnet.NewSubnet(stack, jsii.String(fmt.Sprintf("public-%d", az)), &subnet.SubnetConfig{
			VpcId:               v.Id(),
			CidrBlock:           jsii.String(fmt.Sprintf("10.0.%d.0/24", az)),
			AvailabilityZone:    azName,
			MapPublicIpOnLaunch: jsii.Bool(true),
			Tags:                &map[string]*string{"Name": jsii.String(fmt.Sprintf("fargatekit-public-%d", az))},
		})
		publicSubnets = append(publicSubnets, pub.Id())
		routetableassociation.NewRouteTableAssociation(stack, jsii.String(fmt.Sprintf("public-rta-%d", az)),
			&routetableassociation.RouteTableAssociationConfig{SubnetId: pub.Id(), RouteTableId: publicRt.Id()})

		azName = cdktf.Token_AsString(cdktf.Fn_Element(azs.Names(), jsii.Number(az)), nil)
		priv := subnet.NewSubnet(stack, jsii.String(fmt.Sprintf("private-%d", az)), &subnet.SubnetConfig{
			VpcId:            v.Id(),
			CidrBlock:        jsii.String(fmt.Sprintf("10.0.%d.0/24", 10+az)),
			AvailabilityZone: azName,
			Tags:             &map[string]*string{"Name": jsii.String(fmt.Sprintf("fargatekit-private-%d", az))},
		})
		privateSubnets = append(privateSubnets, priv.Id())

		e := eip.NewEip(stack, jsii.String(fmt.Sprintf("nat-eip-%d", az)), &eip.EipConfig{Domain: jsii.String("vpc")})
		nat := natgateway.NewNatGateway(stack, jsii.String(fmt.Sprintf("nat-%d", az)), &natgateway.NatGatewayConfig{
			AllocationId: e.Id(),
			SubnetId:     pub.Id(),
			DependsOn:    &[]cdktf.ITerraformDependable{igw},
		})
		privRt := routetable.NewRouteTable(stack, jsii.String(fmt.Sprintf("private-rt-%d", az)),
			&routetable.RouteTableConfig{VpcId: v.Id()})
		route.NewRoute(stack, jsii.String(fmt.Sprintf("private-default-%d", az)), &route.RouteConfig{
			RouteTableId:         privRt.Id(),
			DestinationCidrBlock: jsii.String("0.0.0.0/0"),
			NatGatewayId:         nat.Id(),
		})
		routetableassociation.NewRouteTableAssociation(stack, jsii.String(fmt.Sprintf("private-rta-%d", az)),
			&routetableassociation.RouteTableAssociationConfig{SubnetId: priv.Id(), RouteTableId: privRt.Id()})
	}

	// Shared ALB.
	albSg := securitygroup.NewSecurityGroup(stack, jsii.String("alb-sg"), &securitygroup.SecurityGroupConfig{
		Name:        jsii.String("fargatekit-alb"),
		Description: jsii.String("ALB"),
		VpcId:       v.Id(),
	})
	vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(stack, jsii.String("alb-http-in"),
		&vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
			SecurityGroupId: albSg.Id(),
			IpProtocol:      jsii.String("tcp"),
			FromPort:        jsii.Number(80),
			ToPort:          jsii.Number(80),
			CidrIpv4:        jsii.String("0.0.0.0/0"),
		})
	alb := lb.NewLb(stack, jsii.String("alb"), &lb.LbConfig{
		Name:                    jsii.String("fargatekit"),
		Internal:                jsii.Bool(false),
		LoadBalancerType:        jsii.String("application"),
		SecurityGroups:          &[]*string{albSg.Id()},
		Subnets:                 &publicSubnets,
		DropInvalidHeaderFields: jsii.Bool(true),
	})

	// Shared cluster.
	cluster := ecscluster.NewEcsCluster(stack, jsii.String("cluster"), &ecscluster.EcsClusterConfig{
		Name:    jsii.String("fargatekit"),
		Setting: []ecscluster.EcsClusterSetting{{Name: jsii.String("containerInsights"), Value: jsii.String("enabled")}},
	})
	ecsclustercapacityproviders.NewEcsClusterCapacityProviders(stack, jsii.String("cluster-capacity"),
		&ecsclustercapacityproviders.EcsClusterCapacityProvidersConfig{
			ClusterName:       cluster.Name(),
			CapacityProviders: jsii.Strings("FARGATE", "FARGATE_SPOT"),
			DefaultCapacityProviderStrategy: []ecsclustercapacityproviders.EcsClusterCapacityProvidersDefaultCapacityProviderStrategy{{
				CapacityProvider: jsii.String("FARGATE"), Weight: jsii.Number(1), Base: jsii.Number(1),
			}},
		})

	// Target groups first: with one service the listener forwards to it.
	targetGroups := make([]lbtargetgroup.LbTargetGroup, n)
	for i := range n {
		targetGroups[i] = lbtargetgroup.NewLbTargetGroup(stack, jsii.String(fmt.Sprintf("svc-%d-tg", i)),
			&lbtargetgroup.LbTargetGroupConfig{
				Name:        jsii.String(fmt.Sprintf("svc-%d", i)),
				Port:        jsii.Number(80),
				Protocol:    jsii.String("HTTP"),
				TargetType:  jsii.String("ip"),
				VpcId:       v.Id(),
				HealthCheck: &lbtargetgroup.LbTargetGroupHealthCheck{Path: jsii.String("/"), Matcher: jsii.String("200-399")},
			})
	}
	var defaultAction []lblistener.LbListenerDefaultAction
	if n == 1 {
		defaultAction = []lblistener.LbListenerDefaultAction{{
			Type: jsii.String("forward"), TargetGroupArn: targetGroups[0].Arn(),
		}}
	} else {
		defaultAction = []lblistener.LbListenerDefaultAction{{
			Type: jsii.String("fixed-response"),
			FixedResponse: &lblistener.LbListenerDefaultActionFixedResponse{
				ContentType: jsii.String("text/plain"),
				MessageBody: jsii.String("not found"),
				StatusCode:  jsii.String("404"),
			},
		}}
	}
	listener := lblistener.NewLbListener(stack, jsii.String("http"), &lblistener.LbListenerConfig{
		LoadBalancerArn: alb.Arn(),
		Port:            jsii.Number(80),
		Protocol:        jsii.String("HTTP"),
		DefaultAction:   defaultAction,
	})

	for i := range n {
		name := fmt.Sprintf("svc-%d", i)
		id := func(suffix string) *string { return jsii.String(name + "-" + suffix) }
		tg := targetGroups[i]
		serviceDeps := []cdktf.ITerraformDependable{listener}
		if n > 1 {
			rule := lblistenerrule.NewLbListenerRule(stack, id("rule"), &lblistenerrule.LbListenerRuleConfig{
				ListenerArn: listener.Arn(),
				Priority:    jsii.Number(i + 1),
				Action:      []lblistenerrule.LbListenerRuleAction{{Type: jsii.String("forward"), TargetGroupArn: tg.Arn()}},
				Condition: []lblistenerrule.LbListenerRuleCondition{{
					PathPattern: &lblistenerrule.LbListenerRuleConditionPathPattern{Values: jsii.Strings("/" + name + "/*")},
				}},
			})
			serviceDeps = append(serviceDeps, rule)
		}

		logGroup := cloudwatchloggroup.NewCloudwatchLogGroup(stack, id("logs"), &cloudwatchloggroup.CloudwatchLogGroupConfig{
			Name:            jsii.String("/ecs/" + name),
			RetentionInDays: jsii.Number(30),
		})

		execRole := iamrole.NewIamRole(stack, id("exec-role"), &iamrole.IamRoleConfig{
			Name:             jsii.String(name + "-exec"),
			AssumeRolePolicy: trustPolicy(),
		})
		iamrolepolicy.NewIamRolePolicy(stack, id("exec-policy"), &iamrolepolicy.IamRolePolicyConfig{
			Name: jsii.String(name + "-exec"),
			Role: execRole.Id(),
			Policy: mustJSON(policyDocument{
				Version: "2012-10-17",
				Statement: []policyStatement{
					{Effect: "Allow", Action: []string{"ecr:GetAuthorizationToken"}, Resource: "*"},
					{
						Effect:   "Allow",
						Action:   []string{"logs:CreateLogStream", "logs:PutLogEvents"},
						Resource: *logGroup.Arn() + ":*",
					},
				},
			}),
		})
		taskRole := iamrole.NewIamRole(stack, id("task-role"), &iamrole.IamRoleConfig{
			Name:             jsii.String(name + "-task"),
			AssumeRolePolicy: trustPolicy(),
		})

		taskDef := ecstaskdefinition.NewEcsTaskDefinition(stack, id("task"), &ecstaskdefinition.EcsTaskDefinitionConfig{
			Family:                  jsii.String(name),
			NetworkMode:             jsii.String("awsvpc"),
			RequiresCompatibilities: jsii.Strings("FARGATE"),
			Cpu:                     jsii.String("256"),
			Memory:                  jsii.String("512"),
			ExecutionRoleArn:        execRole.Arn(),
			TaskRoleArn:             taskRole.Arn(),
			ContainerDefinitions: mustJSON([]containerDefinition{{
				Name:         "app",
				Image:        "nginx:latest",
				Essential:    true,
				PortMappings: []portMapping{{ContainerPort: 80, Protocol: "tcp"}},
				LogConfiguration: logConfiguration{
					LogDriver: "awslogs",
					Options: logOptions{
						Group:        *logGroup.Name(),
						Region:       region,
						StreamPrefix: name,
					},
				},
			}}),
		})

		tasksSg := securitygroup.NewSecurityGroup(stack, id("sg"), &securitygroup.SecurityGroupConfig{
			Name:        jsii.String(name + "-tasks"),
			Description: jsii.String(name + " tasks"),
			VpcId:       v.Id(),
		})
		vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(stack, id("from-alb"),
			&vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
				SecurityGroupId:           tasksSg.Id(),
				IpProtocol:                jsii.String("tcp"),
				FromPort:                  jsii.Number(80),
				ToPort:                    jsii.Number(80),
				ReferencedSecurityGroupId: albSg.Id(),
			})
		vpcsecuritygroupegressrule.NewVpcSecurityGroupEgressRule(stack, id("https-out"),
			&vpcsecuritygroupegressrule.VpcSecurityGroupEgressRuleConfig{
				SecurityGroupId: tasksSg.Id(),
				IpProtocol:      jsii.String("tcp"),
				FromPort:        jsii.Number(443),
				ToPort:          jsii.Number(443),
				CidrIpv4:        jsii.String("0.0.0.0/0"),
			})

		service := ecsservice.NewEcsService(stack, id("service"), &ecsservice.EcsServiceConfig{
			Name:           jsii.String(name),
			Cluster:        cluster.Id(),
			TaskDefinition: taskDef.Arn(),
			DesiredCount:   jsii.Number(2),
			LaunchType:     jsii.String("FARGATE"),
			NetworkConfiguration: &ecsservice.EcsServiceNetworkConfiguration{
				Subnets:        &privateSubnets,
				SecurityGroups: &[]*string{tasksSg.Id()},
				AssignPublicIp: jsii.Bool(false),
			},
			LoadBalancer: []ecsservice.EcsServiceLoadBalancer{{
				TargetGroupArn: tg.Arn(), ContainerName: jsii.String("app"), ContainerPort: jsii.Number(80),
			}},
			DeploymentCircuitBreaker: &ecsservice.EcsServiceDeploymentCircuitBreaker{Enable: jsii.Bool(true), Rollback: jsii.Bool(true)},
			Lifecycle:                &cdktf.TerraformResourceLifecycle{IgnoreChanges: jsii.Strings("desired_count")},
			DependsOn:                &serviceDeps,
		})

		scaling := appautoscalingtarget.NewAppautoscalingTarget(stack, id("scaling"), &appautoscalingtarget.AppautoscalingTargetConfig{
			MinCapacity:       jsii.Number(2),
			MaxCapacity:       jsii.Number(10),
			ResourceId:        jsii.String(fmt.Sprintf("service/%s/%s", *cluster.Name(), *service.Name())),
			ScalableDimension: jsii.String("ecs:service:DesiredCount"),
			ServiceNamespace:  jsii.String("ecs"),
		})
		appautoscalingpolicy.NewAppautoscalingPolicy(stack, id("cpu"), &appautoscalingpolicy.AppautoscalingPolicyConfig{
			Name:              jsii.String(name + "-cpu"),
			PolicyType:        jsii.String("TargetTrackingScaling"),
			ResourceId:        scaling.ResourceId(),
			ScalableDimension: scaling.ScalableDimension(),
			ServiceNamespace:  scaling.ServiceNamespace(),
			TargetTrackingScalingPolicyConfiguration: &appautoscalingpolicy.AppautoscalingPolicyTargetTrackingScalingPolicyConfiguration{
				TargetValue: jsii.Number(70),
				PredefinedMetricSpecification: &appautoscalingpolicy.AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification{
					PredefinedMetricType: jsii.String("ECSServiceAverageCPUUtilization"),
				},
			},
		})
	}
	return stack
}
