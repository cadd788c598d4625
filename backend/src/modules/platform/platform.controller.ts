import { Body, Controller, Get, Headers, HttpCode, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { IdParam } from '../../common/errors';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Platform } from '../auth/auth.decorators';
import { RateDeckView, ReplaceRatesDto } from '../billing/rates.dto';
import {
  CallRefundDto,
  CreateOrganizationDto,
  CreatedOrganizationView,
  CreatePricePlanDto,
  CreditDto,
  ListOrganizationsQuery,
  PlatformMovementView,
  PlatformOrganizationList,
  PlatformOrganizationView,
  PricePlanList,
  PricePlanView,
  UpdatePlatformOrganizationDto,
} from './platform.dto';
import { PlatformMoneyService } from './platform-money.service';
import { PlatformOrganizationsService } from './platform-organizations.service';
import { PricePlansService } from './price-plans.service';

/** The platform operator's API: organizations, their money, price plans. Operators only. */
@ApiTags('platform')
@ApiBearerAuth()
@Platform()
@Controller('platform')
export class PlatformController {
  constructor(
    private readonly organizations: PlatformOrganizationsService,
    private readonly money: PlatformMoneyService,
    private readonly plans: PricePlansService,
  ) {}

  /** Every organization with its plan, state and wallet (balance, held, credits, last top-up). */
  @Get('organizations')
  @ApiOkResponse({ type: PlatformOrganizationList })
  list(@Query() query: ListOrganizationsQuery): Promise<PlatformOrganizationList> {
    return this.organizations.list(query);
  }

  /** Without owner.password, the answer carries the owner's one-time setup link (shown once). */
  @Post('organizations')
  @ApiCreatedResponse({ type: CreatedOrganizationView })
  create(
    @CurrentUser() operator: AuthUser,
    @Body() body: CreateOrganizationDto,
  ): Promise<CreatedOrganizationView> {
    return this.organizations.create(operator, body);
  }

  @Get('organizations/:id')
  @ApiOkResponse({ type: PlatformOrganizationView })
  get(@IdParam() id: string): Promise<PlatformOrganizationView> {
    return this.organizations.get(id);
  }

  /** Suspend or reinstate, change the price plan. */
  @Patch('organizations/:id')
  @ApiOkResponse({ type: PlatformOrganizationView })
  update(
    @CurrentUser() operator: AuthUser,
    @IdParam() id: string,
    @Body() body: UpdatePlatformOrganizationDto,
  ): Promise<PlatformOrganizationView> {
    return this.organizations.update(operator, id, body);
  }

  /** A manual credit (e.g. a bank transfer received), exactly once per Idempotency-Key. */
  @Post('organizations/:id/credits')
  @HttpCode(201)
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'One per intended credit' })
  @ApiCreatedResponse({ type: PlatformMovementView })
  credit(
    @CurrentUser() operator: AuthUser,
    @IdParam() id: string,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() body: CreditDto,
  ): Promise<PlatformMovementView> {
    return this.money.credit(operator, id, idempotencyKey, body);
  }

  /** Refunds a call: at most what it was charged, once (a second refund is a 409). */
  @Post('calls/:id/refund')
  @HttpCode(201)
  @ApiCreatedResponse({ type: PlatformMovementView })
  refund(
    @CurrentUser() operator: AuthUser,
    @IdParam() id: string,
    @Body() body: CallRefundDto,
  ): Promise<PlatformMovementView> {
    return this.money.refundCall(operator, id, body);
  }

  @Get('price-plans')
  @ApiOkResponse({ type: PricePlanList })
  plansList(): Promise<PricePlanList> {
    return this.plans.list();
  }

  @Post('price-plans')
  @ApiCreatedResponse({ type: PricePlanView })
  createPlan(
    @CurrentUser() operator: AuthUser,
    @Body() body: CreatePricePlanDto,
  ): Promise<PricePlanView> {
    return this.plans.create(operator, body);
  }

  @Get('price-plans/:id/rates')
  @ApiOkResponse({ type: RateDeckView })
  planRates(@IdParam() id: string): Promise<RateDeckView> {
    return this.plans.rates(id);
  }

  @Put('price-plans/:id/rates')
  @ApiOkResponse({ type: RateDeckView })
  replacePlanRates(
    @CurrentUser() operator: AuthUser,
    @IdParam() id: string,
    @Body() body: ReplaceRatesDto,
  ): Promise<RateDeckView> {
    return this.plans.replaceRates(operator, id, body.rates);
  }
}
