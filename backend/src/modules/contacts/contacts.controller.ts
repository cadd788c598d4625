import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Patch,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/auth.decorators';
import { ContactImportService } from './contact-import.service';
import {
  ContactList,
  ContactLookup,
  ContactView,
  CreateContactDto,
  IMPORT_FIELDS,
  ImportField,
  ImportReport,
  ListContactsQuery,
  UpdateContactDto,
} from './contacts.dto';
import { ContactsService } from './contacts.service';
import { IdParam } from '../../common/errors';
import { CSV_BODY } from '../../common/body-parsers';

@ApiTags('contacts')
@ApiBearerAuth()
@Controller('contacts')
export class ContactsController {
  constructor(
    private readonly contacts: ContactsService,
    private readonly imports: ContactImportService,
  ) {}

  @Get()
  @ApiOkResponse({ type: ContactList })
  list(@CurrentUser() caller: AuthUser, @Query() query: ListContactsQuery): Promise<ContactList> {
    return this.contacts.list(caller, query);
  }

  @Get('lookup')
  @ApiOkResponse({ type: ContactLookup })
  lookup(@CurrentUser() caller: AuthUser, @Query('phone') phone: string): Promise<ContactLookup> {
    return this.contacts.lookup(caller, phone);
  }

  @Get('export.csv')
  @ApiProduces('text/csv')
  export(@CurrentUser() caller: AuthUser, @Res() reply: FastifyReply) {
    return reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header(
        'Content-Disposition',
        `attachment; filename="contacts-${new Date().toISOString().slice(0, 10)}.csv"`,
      )
      .send(this.contacts.exportCsv(caller));
  }

  @Post('import')
  @RouteConfig(CSV_BODY)
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @ApiBody({
    description: 'The CSV file as the request body (Content-Type: text/csv), with a header row',
  })
  @ApiOkResponse({
    type: ImportReport,
    description:
      'Totals, and the first problem rows (skipped, or imported without something) with the reason; every problem row: reportUrl',
  })
  async import(
    @CurrentUser() caller: AuthUser,
    @Req() request: FastifyRequest,
    @Query() query: Record<string, string>,
  ): Promise<ImportReport> {
    if (!(request.body instanceof Readable)) {
      throw new BadRequestException(
        'Send the CSV file as the request body with Content-Type: text/csv',
      );
    }
    const mapping: Partial<Record<ImportField, string>> = {};
    for (const [key, value] of Object.entries(query ?? {})) {
      const field = key.replace(/Column$/, '') as ImportField;
      if (!key.endsWith('Column') || !IMPORT_FIELDS.includes(field)) {
        throw new BadRequestException(
          `Unknown parameter ${key}: use ${IMPORT_FIELDS.map((f) => `${f}Column`).join(', ')}`,
        );
      }
      mapping[field] = value;
    }
    return this.imports.import(caller, request.body, mapping);
  }

  @Get('imports/:id/report.csv')
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'Every problem row of the import: line, outcome, contact_id, reason',
  })
  async importReport(
    @CurrentUser() caller: AuthUser,
    @IdParam() id: string,
    @Res() reply: FastifyReply,
  ) {
    const csv = await this.imports.reportCsv(caller, id);
    return reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="contact-import-${id}.csv"`)
      .send(csv);
  }

  @Get(':id')
  @ApiOkResponse({
    type: ContactView,
    description: 'The contact alone; its calls: GET /api/calls?contactId=<id>',
  })
  detail(@CurrentUser() caller: AuthUser, @IdParam() id: string): Promise<ContactView> {
    return this.contacts.detail(caller, id);
  }

  @Post()
  @ApiCreatedResponse({ type: ContactView })
  create(@CurrentUser() caller: AuthUser, @Body() body: CreateContactDto): Promise<ContactView> {
    return this.contacts.create(caller, body);
  }

  @Patch(':id')
  @ApiOkResponse({ type: ContactView })
  update(
    @CurrentUser() caller: AuthUser,
    @IdParam() id: string,
    @Body() body: UpdateContactDto,
  ): Promise<ContactView> {
    return this.contacts.update(caller, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentUser() caller: AuthUser, @IdParam() id: string): Promise<void> {
    await this.contacts.remove(caller, id);
  }
}
