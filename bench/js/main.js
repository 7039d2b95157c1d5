// Plain JavaScript CDKTF peer of the fargatekit synth benchmark.
//
// Synthesizes the benchmark stack with N services into an outdir:
//
//   node main.js [-n N] [-out DIR]      (or: node main.js N DIR; or BENCH_N / BENCH_OUT)
//
// It must produce the same resource types and counts as bench/plaingo and
// bench/library (the runner checks). Resources are imported one module at a
// time (not from the package index), as a size-conscious JS user would.
'use strict';

const { App, TerraformStack, LocalBackend, Fn } = require('cdktf');
const { AwsProvider } = require('@cdktf/provider-aws/lib/provider');
const { DataAwsAvailabilityZones } = require('@cdktf/provider-aws/lib/data-aws-availability-zones');
const { DataAwsCallerIdentity } = require('@cdktf/provider-aws/lib/data-aws-caller-identity');
const { DataAwsPartition } = require('@cdktf/provider-aws/lib/data-aws-partition');
const { Vpc } = require('@cdktf/provider-aws/lib/vpc');
const { InternetGateway } = require('@cdktf/provider-aws/lib/internet-gateway');
const { Subnet } = require('@cdktf/provider-aws/lib/subnet');
const { RouteTable } = require('@cdktf/provider-aws/lib/route-table');
const { Route } = require('@cdktf/provider-aws/lib/route');
const { RouteTableAssociation } = require('@cdktf/provider-aws/lib/route-table-association');
const { Eip } = require('@cdktf/provider-aws/lib/eip');
const { NatGateway } = require('@cdktf/provider-aws/lib/nat-gateway');
const { SecurityGroup } = require('@cdktf/provider-aws/lib/security-group');
const { VpcSecurityGroupIngressRule } = require('@cdktf/provider-aws/lib/vpc-security-group-ingress-rule');
const { VpcSecurityGroupEgressRule } = require('@cdktf/provider-aws/lib/vpc-security-group-egress-rule');
const { Lb } = require('@cdktf/provider-aws/lib/lb');
const { LbListener } = require('@cdktf/provider-aws/lib/lb-listener');
const { LbListenerRule } = require('@cdktf/provider-aws/lib/lb-listener-rule');
const { LbTargetGroup } = require('@cdktf/provider-aws/lib/lb-target-group');
const { EcsCluster } = require('@cdktf/provider-aws/lib/ecs-cluster');
const { EcsClusterCapacityProviders } = require('@cdktf/provider-aws/lib/ecs-cluster-capacity-providers');
const { CloudwatchLogGroup } = require('@cdktf/provider-aws/lib/cloudwatch-log-group');
const { IamRole } = require('@cdktf/provider-aws/lib/iam-role');
const { IamRolePolicy } = require('@cdktf/provider-aws/lib/iam-role-policy');
const { EcsTaskDefinition } = require('@cdktf/provider-aws/lib/ecs-task-definition');
const { EcsService } = require('@cdktf/provider-aws/lib/ecs-service');
const { AppautoscalingTarget } = require('@cdktf/provider-aws/lib/appautoscaling-target');
const { AppautoscalingPolicy } = require('@cdktf/provider-aws/lib/appautoscaling-policy');

const REGION = 'us-east-1';
const AZ_COUNT = 2;

function parseArgs(argv) {
  let n = process.env.BENCH_N ? Number(process.env.BENCH_N) : 1;
  let out = process.env.BENCH_OUT || 'cdktf.out';
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-n' || a === '--n') n = Number(argv[++i]);
    else if (a === '-out' || a === '--out') out = argv[++i];
    else positional.push(a);
  }
  if (positional.length > 0) n = Number(positional[0]);
  if (positional.length > 1) out = positional[1];
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`N must be a positive integer, got ${n}`);
  }
  return { n, out };
}

function trustPolicy() {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Principal: { Service: 'ecs-tasks.amazonaws.com' },
      Action: 'sts:AssumeRole',
    }],
  });
}

class BenchStack extends TerraformStack {
  constructor(scope, id, n) {
    super(scope, id);

    new AwsProvider(this, 'aws', {
      region: REGION,
      defaultTags: [{ tags: { ManagedBy: 'fargatekit' } }],
    });
    this.addOverride('terraform.required_providers.aws.version', '>= 5.84.0, < 6.0.0');
    new LocalBackend(this, { path: 'terraform.tfstate' });

    const azs = new DataAwsAvailabilityZones(this, 'azs', { state: 'available' });
    new DataAwsCallerIdentity(this, 'caller');
    new DataAwsPartition(this, 'partition');

    // Network: VPC, IGW, public + private subnets, one NAT gateway per AZ.
    const vpc = new Vpc(this, 'vpc', {
      cidrBlock: '10.0.0.0/16',
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: 'fargatekit' },
    });
    const igw = new InternetGateway(this, 'igw', { vpcId: vpc.id });

    const publicRt = new RouteTable(this, 'public-rt', { vpcId: vpc.id });
    new Route(this, 'public-default', {
      routeTableId: publicRt.id,
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: igw.id,
    });

    const publicSubnets = [];
    const privateSubnets = [];
    for (let az = 0; az < AZ_COUNT; az++) {
      const pub = new Subnet(this, `public-${az}`, {
        vpcId: vpc.id,
        cidrBlock: `10.0.${az}.0/24`,
        availabilityZone: Fn.element(azs.names, az),
        mapPublicIpOnLaunch: true,
        tags: { Name: `fargatekit-public-${az}` },
      });
      publicSubnets.push(pub);
      new RouteTableAssociation(this, `public-rta-${az}`, {
        subnetId: pub.id,
        routeTableId: publicRt.id,
      });

      const priv = new Subnet(this, `private-${az}`, {
        vpcId: vpc.id,
        cidrBlock: `10.0.${10 + az}.0/24`,
        availabilityZone: Fn.element(azs.names, az),
        tags: { Name: `fargatekit-private-${az}` },
      });
      privateSubnets.push(priv);

      const eip = new Eip(this, `nat-eip-${az}`, { domain: 'vpc' });
      const nat = new NatGateway(this, `nat-${az}`, {
        allocationId: eip.id,
        subnetId: pub.id,
        dependsOn: [igw],
      });
      const privRt = new RouteTable(this, `private-rt-${az}`, { vpcId: vpc.id });
      new Route(this, `private-default-${az}`, {
        routeTableId: privRt.id,
        destinationCidrBlock: '0.0.0.0/0',
        natGatewayId: nat.id,
      });
      new RouteTableAssociation(this, `private-rta-${az}`, {
        subnetId: priv.id,
        routeTableId: privRt.id,
      });
    }

    // Shared ALB.
    const albSg = new SecurityGroup(this, 'alb-sg', {
      name: 'fargatekit-alb',
      description: 'ALB',
      vpcId: vpc.id,
    });
    new VpcSecurityGroupIngressRule(this, 'alb-http-in', {
      securityGroupId: albSg.id,
      ipProtocol: 'tcp',
      fromPort: 80,
      toPort: 80,
      cidrIpv4: '0.0.0.0/0',
    });
    const alb = new Lb(this, 'alb', {
      name: 'fargatekit',
      internal: false,
      loadBalancerType: 'application',
      securityGroups: [albSg.id],
      subnets: publicSubnets.map((s) => s.id),
      dropInvalidHeaderFields: true,
    });

    // Shared cluster.
    const cluster = new EcsCluster(this, 'cluster', {
      name: 'fargatekit',
      setting: [{ name: 'containerInsights', value: 'enabled' }],
    });
    new EcsClusterCapacityProviders(this, 'cluster-capacity', {
      clusterName: cluster.name,
      capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1, base: 1 }],
    });

    // Target groups first: with one service the listener forwards to it.
    const targetGroups = [];
    for (let i = 0; i < n; i++) {
      targetGroups.push(new LbTargetGroup(this, `svc-${i}-tg`, {
        name: `svc-${i}`,
        port: 80,
        protocol: 'HTTP',
        targetType: 'ip',
        vpcId: vpc.id,
        healthCheck: { path: '/', matcher: '200-399' },
      }));
    }
    const listener = new LbListener(this, 'http', {
      loadBalancerArn: alb.arn,
      port: 80,
      protocol: 'HTTP',
      defaultAction: n === 1
        ? [{ type: 'forward', targetGroupArn: targetGroups[0].arn }]
        : [{
          type: 'fixed-response',
          fixedResponse: { contentType: 'text/plain', messageBody: 'not found', statusCode: '404' },
        }],
    });

    for (let i = 0; i < n; i++) {
      const name = `svc-${i}`;
      const tg = targetGroups[i];
      const serviceDeps = [listener];
      if (n > 1) {
        serviceDeps.push(new LbListenerRule(this, `${name}-rule`, {
          listenerArn: listener.arn,
          priority: i + 1,
          action: [{ type: 'forward', targetGroupArn: tg.arn }],
          condition: [{ pathPattern: { values: [`/${name}/*`] } }],
        }));
      }

      const logGroup = new CloudwatchLogGroup(this, `${name}-logs`, {
        name: `/ecs/${name}`,
        retentionInDays: 30,
      });

      const execRole = new IamRole(this, `${name}-exec-role`, {
        name: `${name}-exec`,
        assumeRolePolicy: trustPolicy(),
      });
      new IamRolePolicy(this, `${name}-exec-policy`, {
        name: `${name}-exec`,
        role: execRole.id,
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['ecr:GetAuthorizationToken'], Resource: '*' },
            {
              Effect: 'Allow',
              Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              Resource: `${logGroup.arn}:*`,
            },
          ],
        }),
      });
      const taskRole = new IamRole(this, `${name}-task-role`, {
        name: `${name}-task`,
        assumeRolePolicy: trustPolicy(),
      });

      const taskDef = new EcsTaskDefinition(this, `${name}-task`, {
        family: name,
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        executionRoleArn: execRole.arn,
        taskRoleArn: taskRole.arn,
        containerDefinitions: JSON.stringify([{
          name: 'app',
          image: 'nginx:latest',
          essential: true,
          portMappings: [{ containerPort: 80, protocol: 'tcp' }],
          logConfiguration: {
            logDriver: 'awslogs',
            options: {
              'awslogs-group': logGroup.name,
              'awslogs-region': REGION,
              'awslogs-stream-prefix': name,
            },
          },
        }]),
      });

      const tasksSg = new SecurityGroup(this, `${name}-sg`, {
        name: `${name}-tasks`,
        description: `${name} tasks`,
        vpcId: vpc.id,
      });
      new VpcSecurityGroupIngressRule(this, `${name}-from-alb`, {
        securityGroupId: tasksSg.id,
        ipProtocol: 'tcp',
        fromPort: 80,
        toPort: 80,
        referencedSecurityGroupId: albSg.id,
      });
      new VpcSecurityGroupEgressRule(this, `${name}-https-out`, {
        securityGroupId: tasksSg.id,
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrIpv4: '0.0.0.0/0',
      });

      const service = new EcsService(this, `${name}-service`, {
        name,
        cluster: cluster.id,
        taskDefinition: taskDef.arn,
        desiredCount: 2,
        launchType: 'FARGATE',
        networkConfiguration: {
          subnets: privateSubnets.map((s) => s.id),
          securityGroups: [tasksSg.id],
          assignPublicIp: false,
        },
        loadBalancer: [{ targetGroupArn: tg.arn, containerName: 'app', containerPort: 80 }],
        deploymentCircuitBreaker: { enable: true, rollback: true },
        lifecycle: { ignoreChanges: ['desired_count'] },
        dependsOn: serviceDeps,
      });

      const scaling = new AppautoscalingTarget(this, `${name}-scaling`, {
        minCapacity: 2,
        maxCapacity: 10,
        resourceId: `service/${cluster.name}/${service.name}`,
        scalableDimension: 'ecs:service:DesiredCount',
        serviceNamespace: 'ecs',
      });
      new AppautoscalingPolicy(this, `${name}-cpu`, {
        name: `${name}-cpu`,
        policyType: 'TargetTrackingScaling',
        resourceId: scaling.resourceId,
        scalableDimension: scaling.scalableDimension,
        serviceNamespace: scaling.serviceNamespace,
        targetTrackingScalingPolicyConfiguration: {
          targetValue: 70,
          predefinedMetricSpecification: { predefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        },
      });
    }
  }
}

function main() {
  const { n, out } = parseArgs(process.argv.slice(2));
  const app = new App({ outdir: out });
  new BenchStack(app, 'fargatekit', n);
  app.synth();
}

main();
