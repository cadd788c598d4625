import { forwardRef, Module } from '@nestjs/common';
import { CallsModule } from '../calls/calls.module';
import { ContactImportService } from './contact-import.service';
import { ContactsController } from './contacts.controller';
import { ContactsService } from './contacts.service';

@Module({
  imports: [forwardRef(() => CallsModule)],
  controllers: [ContactsController],
  providers: [ContactsService, ContactImportService],
  exports: [ContactsService],
})
export class ContactsModule {}
