import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Validate, ValidatorConstraint } from 'class-validator';
import type { ValidatorConstraintInterface } from 'class-validator';
import { canonicalTimeZone, isTimeZone } from '../../common/time-zone';

@ValidatorConstraint({ name: 'isTimeZone' })
class IsTimeZoneConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return isTimeZone(value);
  }

  defaultMessage(): string {
    return 'timeZone must be an IANA time zone such as Europe/Paris or Asia/Kolkata';
  }
}

export class UpdateOrganizationDto {
  @ApiProperty({ example: 'Asia/Kolkata', description: 'IANA time zone of the organization' })
  @Transform(({ value }) =>
    typeof value === 'string' && isTimeZone(value.trim()) ? canonicalTimeZone(value.trim()) : value,
  )
  @IsString({ message: 'timeZone must be an IANA time zone such as Europe/Paris or Asia/Kolkata' })
  @Validate(IsTimeZoneConstraint)
  timeZone: string;

  @ApiPropertyOptional({
    description:
      "Set the zone only if no one chose one yet (the console sends the browser's zone at an owner's first sign-in)",
  })
  @IsOptional()
  @IsBoolean({ message: 'onlyIfUnset must be true or false' })
  onlyIfUnset?: boolean;
}
